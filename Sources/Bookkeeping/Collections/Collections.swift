import Interchange
import Receivables

/// A message the dunning run sends (or would send), with the customer it goes to.
public struct PlannedNotice: Hashable, Sendable {
    public let code: Customer.Code
    public let name: String
    public let currency: Currency
    public let language: String
    public let policy: String
    public let notice: DunningNotice
}

/// What a dunning run did.
public struct DunningRunOutcome: Sendable {
    public let day: Day
    /// True when the run for this day had been done before: nothing was written this time.
    public let alreadyRun: Bool
    public let notices: [PlannedNotice]
    public let messages: Int
    public let feeInvoices: [DocumentNumber]
    public let holds: [Customer.Code]
    /// Why the run did not happen: its plan waits for a manager's approval (empty when it ran).
    public var awaitingApproval: [DunningGateReason] = []
}

/// Why a run's plan waits for a manager's approval before anything is sent or charged: a first run on
/// a book with a backlog would write to every late payer at once, and a plan that puts many customers
/// on hold or into the legal level at once is more likely a book's mistake than a day's work.
public enum DunningGateReason: Hashable, Sendable, CustomStringConvertible {
    /// No run has been done on this book, and the plan chases `customers` customers' overdue debt.
    case firstRunWithBacklog(customers: Int)
    /// The plan would put `customers` of the book's `of` customers on credit hold, more than `percentMax`%.
    case manyHolds(customers: Int, of: Int, percentMax: Int)
    /// The plan would write to `customers` of `of` at a level that hands the debt over (legal, agency).
    case manyLegal(customers: Int, of: Int, percentMax: Int)

    public var description: String {
        switch self {
        case .firstRunWithBacklog(let customers): "first run on this book, chasing the overdue debt of \(customers) customers"
        case .manyHolds(let customers, let of, let percentMax): "\(customers) of \(of) customers would be put on credit hold (more than \(percentMax)%)"
        case .manyLegal(let customers, let of, let percentMax): "\(customers) of \(of) customers would be handed over to legal (more than \(percentMax)%)"
        }
    }
}

/// The plan of a day's run as the dunning page shows it: what would be sent and charged, whether it
/// waits for approval and why, and the fingerprint that an approval names (so that what is approved
/// is exactly what runs).
public struct DunningPreview: Sendable {
    public let day: Day
    public let notices: [PlannedNotice]
    public let alreadyRun: Bool
    public let lastRun: Day?
    public let reasons: [DunningGateReason]
    public let fingerprint: String
    /// Customers the plan would newly put on credit hold.
    public let holds: [Customer.Code]
}

/// Collections (催收): the daily dunning run and what pauses or shapes it — promises to pay, disputes,
/// exemptions, policies — and waiving a late fee.
public struct Collections: Sendable {
    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    /// Late fees fall due this many days after the run that charges them.
    public static let feeDueDays = 7

    /// The plan for `asOf` with its gate: what the dunning page shows. Writes nothing.
    public func preview(asOf: Day) async throws -> DunningPreview {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let profiles = try reader.collectionsProfiles()
            // The gate is the book's, whoever looks: counted over every customer, as the run counts it.
            let planned = try Self.plan(asOf: asOf, reader: reader, principal: .commandLine, profiles: profiles)
            let lastRun = try reader.lastDunningRun()
            let reasons = try Self.gate(planned, firstRun: lastRun == nil, reader: reader, profiles: profiles)
            let directory = try reader.customerDirectory()
            let visible = planned.filter { directory[$0.notice.customer].map(principal.sees) ?? false }
            return DunningPreview(day: asOf, notices: visible,
                                  alreadyRun: try reader.dunningRunExists(day: asOf), lastRun: lastRun, reasons: reasons,
                                  fingerprint: Self.fingerprint(planned), holds: Self.newHolds(planned, profiles: profiles))
        }
    }

    /// The customers a plan newly puts on credit hold.
    static func newHolds(_ planned: [PlannedNotice], profiles: [Customer.ID: CollectionsProfile]) -> [Customer.Code] {
        planned.filter { $0.notice.actions.contains(.creditHold) && profiles[$0.notice.customer]?.onHoldSince == nil }.map(\.code)
    }

    /// Why `planned` waits for approval, if it does.
    static func gate(_ planned: [PlannedNotice], firstRun: Bool, reader: any BookReader,
                     profiles: [Customer.ID: CollectionsProfile]) throws -> [DunningGateReason] {
        var reasons: [DunningGateReason] = []
        let late = planned.filter { $0.notice.lines.contains { $0.daysPastDue > 0 } }.count
        if firstRun, late > 0 { reasons.append(.firstRunWithBacklog(customers: late)) }
        let settings = try reader.settings()
        let customers = try reader.customerDirectory().count
        let holds = newHolds(planned, profiles: profiles).count
        if customers > 0, holds * 100 > settings.dunningHoldShareMax * customers {
            reasons.append(.manyHolds(customers: holds, of: customers, percentMax: settings.dunningHoldShareMax))
        }
        let legal = planned.filter { !$0.notice.level.actions.isDisjoint(with: [.legal, .collectionAgency]) }.count
        if customers > 0, legal * 100 > settings.dunningLegalShareMax * customers {
            reasons.append(.manyLegal(customers: legal, of: customers, percentMax: settings.dunningLegalShareMax))
        }
        return reasons
    }

    /// A digest of what a plan sends and charges: each customer's level, items, amounts, fee and actions.
    static func fingerprint(_ planned: [PlannedNotice]) -> String {
        Secret.sha256(planned.map { entry in
            let notice = entry.notice
            return "\(entry.code.rawValue)|\(notice.level.number)|\(notice.fee.minorUnits)|\(notice.actions.map(\.rawValue).sorted())|"
                + notice.lines.map { "\($0.item.rawValue):\($0.level):\($0.chased.minorUnits):\($0.interest.minorUnits)" }.joined(separator: ",")
        }.joined(separator: "\n"))
    }

    /// Exactly what the run for `asOf` would send and charge; writes nothing.
    public func plan(asOf: Day) async throws -> [PlannedNotice] {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            try Self.plan(asOf: asOf, reader: reader, principal: principal, profiles: reader.collectionsProfiles())
        }
    }

    /// Sends (through the outbox) and charges what the plan for `asOf` holds, in one transaction with the
    /// notices, the fee receivables and their journal entries. A day runs once: running it again changes nothing.
    ///
    /// A plan the gate stops (`DunningGateReason`) is not run unless `approve` is given by someone who
    /// may configure collections (a manager): then it runs, and the approval is in the run's audit
    /// record. With `fingerprint` (the plan the approver saw) a plan that has changed since is refused.
    public func run(asOf: Day, approve: Bool = false, fingerprint: String? = nil) async throws -> DunningRunOutcome {
        try caller.principal.require(.runDunning)
        if approve { try caller.principal.require(.configureCollections) }
        if !approve {
            // A plan the gate stops is found in a read, which holds no writer back: the scheduler asks
            // every pass while a day waits for its approval.
            let waiting = try await storage.read { reader -> DunningRunOutcome? in
                guard try !reader.dunningRunExists(day: asOf) else { return nil }
                let profiles = try reader.collectionsProfiles()
                let planned = try Self.plan(asOf: asOf, reader: reader, principal: .commandLine, profiles: profiles)
                let reasons = try Self.gate(planned, firstRun: try reader.lastDunningRun() == nil, reader: reader, profiles: profiles)
                return reasons.isEmpty ? nil : DunningRunOutcome(day: asOf, alreadyRun: false, notices: planned, messages: 0, feeInvoices: [],
                                                                 holds: [], awaitingApproval: reasons)
            }
            if let waiting { return waiting }
        }
        return try await storage.writing(caller, .runDunning) { writer in
            let tx = writer.tx
            // Servers sharing the book run the day one after the other: the second finds it done.
            try tx.lock(job: "dunning")
            if try tx.dunningRunExists(day: asOf) {
                return DunningRunOutcome(day: asOf, alreadyRun: true, notices: [], messages: 0, feeInvoices: [], holds: [])
            }
            let profiles = try tx.collectionsProfiles()
            let planned = try Self.plan(asOf: asOf, reader: tx, principal: .commandLine, profiles: profiles)
            let reasons = try Self.gate(planned, firstRun: try tx.lastDunningRun() == nil, reader: tx, profiles: profiles)
            if let fingerprint, fingerprint != Self.fingerprint(planned) {
                throw BookError.invalid(field: "plan", reason: "the plan has changed since it was shown: look at it again before approving")
            }
            guard reasons.isEmpty || approve else {
                return DunningRunOutcome(day: asOf, alreadyRun: false, notices: planned, messages: 0, feeInvoices: [], holds: [],
                                         awaitingApproval: reasons)
            }
            try writer.storing(field: "day", value: asOf.description) { try tx.insertDunningRun(day: asOf, at: writer.caller.now()) }
            var messages = 0, fees: [DocumentNumber] = [], holds: [Customer.Code] = [], held = Set<Customer.ID>()
            // Each message's words, sealed into the run's audit record (and so into the audit chain).
            var sealed: [JSONText] = []
            for entry in planned {
                let notice = entry.notice
                var feeInvoice: Invoice.ID?
                if notice.charges.isPositive {
                    let number = Self.feeNumber(code: entry.code, customer: notice.customer, day: asOf, level: notice.level.number)
                    let description = "Late fee, dunning level \(notice.level.number) (\(notice.level.name)): fee "
                        + "\(notice.fee.decimalString), interest \(notice.interest.decimalString)"
                    let invoice = try Invoice(number: number, customer: entry.code, issue: asOf, amount: notice.charges,
                                              due: asOf.advanced(by: Self.feeDueDays), terms: .net(Self.feeDueDays), description: description)
                    feeInvoice = try writer.postLateFee(invoice, customer: notice.customer).id
                    fees.append(number)
                }
                let id = try tx.insertNotice(NoticeRecord(customer: notice.customer, day: asOf, level: notice.level.number,
                                                          levelName: notice.level.name, policy: entry.policy, chased: notice.chased,
                                                          fee: notice.fee, interest: notice.interest, feeInvoice: feeInvoice),
                                             lines: notice.lines)
                let letter = DunningLetter.render(notice, code: entry.code, name: entry.name, currency: entry.currency, asOf: asOf,
                                                  language: entry.language)
                let profile = profiles[notice.customer]
                for channel in notice.level.channels {
                    let recipient = channel == .email ? (profile?.email ?? "") : channel == .letter ? entry.name : ""
                    let message = OutboxMessage(notice: id, customer: notice.customer, channel: channel, language: entry.language,
                                                recipient: recipient, subject: letter.subject, body: letter.body)
                    let messageID = try tx.insertOutbox(message, at: writer.caller.now())
                    sealed.append(.object([("id", .id(messageID)), ("sha256", .string(OutboxMessage.digest(message)))]))
                    messages += 1
                }
                // A customer gets one hold, however many of their notices carry it.
                if notice.actions.contains(.creditHold), profile?.onHoldSince == nil, held.insert(notice.customer).inserted {
                    try tx.setCreditHold(customer: notice.customer, since: asOf)
                    holds.append(entry.code)
                }
                if !notice.actions.isDisjoint(with: [.legal, .collectionAgency]) { try tx.setLegal(customer: notice.customer, since: asOf) }
                for promise in notice.escalates { try tx.markPromiseEscalated(promise, on: asOf) }
            }
            try writer.audit("run", "dunning", key: asOf.description, after: .object([
                ("notices", .int(Int64(planned.count))), ("messages", .int(Int64(messages))),
                ("approved", reasons.isEmpty ? .null : .object([("by", .string(writer.caller.principal.name)),
                                                                ("reasons", .array(reasons.map { .string($0.description) }))])),
                ("fee_invoices", .array(fees.map { .string($0.rawValue) })), ("credit_holds", .array(holds.map { .string($0.rawValue) })),
                ("messages_sealed", .array(sealed)),
            ]))
            return DunningRunOutcome(day: asOf, alreadyRun: false, notices: planned, messages: messages, feeInvoices: fees, holds: holds)
        }
    }

    /// A late fee's number: LF-<customer code>-<day>-<level>, or with the customer's id where the code
    /// would not make a valid number (too long, spaces).
    static func feeNumber(code: Customer.Code, customer: Customer.ID, day: Day, level: Int) -> DocumentNumber {
        let readable = DocumentNumber("LF-\(code.rawValue)-\(day)-\(level)")
        if (try? readable.validate(field: "number")) != nil { return readable }
        return DocumentNumber("LF-#\(customer.rawValue)-\(day)-\(level)")
    }

    static func plan(asOf: Day, reader: any BookReader, principal: Principal,
                     profiles: [Customer.ID: CollectionsProfile]) throws -> [PlannedNotice] {
        let settings = try reader.settings()
        let directory = try reader.customerDirectory()
        let (definitions, categories) = try reader.dunningPolicies()
        let standard = DunningPolicy.standard(in: settings.currency)
        var policies: [String: DunningPolicy] = ["default": standard]
        for (name, text) in definitions { policies[name] = try PolicyDefinition.policy(from: text, currency: settings.currency) }
        let earliest = policies.values.compactMap { $0.levels.first?.offsetDays }.min() ?? 0
        var items: [Customer.ID: [DunningItemRecord]] = [:]
        for record in try reader.dunningItems(asOf: asOf, dueBy: asOf.advanced(by: -earliest)) {
            guard let summary = directory[record.customer], principal.sees(summary) else { continue }
            items[record.customer, default: []].append(record)
        }
        var unapplied: [Customer.ID: Int64] = [:]  // minor units of each customer's currency, as the rows give them
        try reader.visitUnappliedAmounts(asOf: asOf) { unapplied[$0.customer] = try Money.total([unapplied[$0.customer, default: 0], $0.minorUnits]) }
        var promises: [Customer.ID: [PromiseToPay]] = [:]
        for record in try reader.promises(asOf: asOf) { promises[record.customer, default: []].append(record.promise) }
        let policyOf = { (customer: Customer.ID) -> DunningPolicy in
            let profile = profiles[customer]
            return profile?.policy.flatMap { policies[$0] } ?? categories[profile?.category ?? ""].flatMap { policies[$0] }
                ?? policies["default"] ?? standard
        }
        // Late interest needs each item's payments; read them only for items a level that charges interest will reach.
        var needHistory: [DunningItemRecord] = []
        for (customer, records) in items {
            let policy = policyOf(customer)
            guard policy.levels.contains(where: \.chargesInterest) else { continue }
            for record in records where !record.isFee {
                let reached = max(policy.levelReached(daysPastDue: record.due.distance(to: asOf)), min(record.levelSent + 1, policy.levels.count))
                if reached > record.levelSent, policy.levels[(record.levelSent)..<reached].contains(where: \.chargesInterest) {
                    needHistory.append(record)
                }
            }
        }
        let allocations = try reader.itemAllocations(needHistory)
        var planned: [PlannedNotice] = []
        for (customer, records) in items {
            guard let summary = directory[customer] else { continue }
            let policy = policyOf(customer)
            // An account is chased in the customer's currency; an item in another (a book changed past its
            // rules) is left out rather than mixed in.
            let dunningItems = records.filter { $0.amount.currency == summary.currency }.map { record in
                DunningItem(id: record.item, invoice: record.invoice, due: record.due, amount: record.amount, open: record.open,
                            disputed: record.disputed, levelSent: record.levelSent, isFee: record.isFee,
                            history: Self.history(of: record, allocations: allocations[record.item] ?? []),
                            interestCharged: record.interestCharged)
            }
            let account = DunningAccount(customer: customer, currency: summary.currency, policy: policy, exempt: profiles[customer]?.exempt ?? false, items: dunningItems,
                                         unapplied: Money(minorUnits: unapplied[customer] ?? 0, currency: summary.currency),
                                         promises: (promises[customer] ?? []).filter { $0.amount.currency == summary.currency })
            let language = profiles[customer]?.language ?? "zh-CN"
            for notice in try DunningPlan.notices(for: account, asOf: asOf) {
                planned.append(PlannedNotice(code: summary.code, name: summary.name, currency: summary.currency, language: language,
                                             policy: policy.name, notice: notice))
            }
        }
        return planned.sorted { ($0.code, $0.notice.level.number) < ($1.code, $1.notice.level.number) }
    }

    /// The item's open amount over time: its amount from issue, less each allocation from its day on.
    static func history(of record: DunningItemRecord, allocations: [(day: Day, amount: Money)]) -> [LateInterest.Stretch] {
        var open = record.amount.minorUnits
        let currency = record.amount.currency
        var stretches = [LateInterest.Stretch(from: record.issue, open: record.amount)]
        for allocation in allocations {
            open -= allocation.amount.minorUnits
            if stretches.last?.from == allocation.day { stretches.removeLast() }
            stretches.append(.init(from: allocation.day, open: Money(minorUnits: open, currency: currency)))
        }
        return stretches
    }
}

extension BookWriter {
    /// Writes a late fee as a receivable of its own: an invoice with one open item, posted to fee income.
    func postLateFee(_ invoice: Invoice, customer: Customer.ID) throws -> StoredInvoice {
        let entry = posting.lateFee(invoice, customer: customer)
        let stored = try storing(field: "number", value: invoice.number.rawValue) {
            try tx.insertInvoice(invoice, customer: customer, entry: entry)
        }
        return StoredInvoice(id: stored.id, customer: customer, invoice: invoice)
    }
}
