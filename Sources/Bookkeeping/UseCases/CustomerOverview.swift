import Receivables

/// A customer in the working list: what they owe, how much is overdue, how much of the limit is used.
public struct CustomerStanding: Hashable, Sendable {
    public let id: Customer.ID
    public let summary: CustomerSummary
    /// Open items less unapplied credits.
    public let balance: Money
    public let overdue: Money
    /// Balance as a share of the credit limit, in percent (nil without a limit).
    public let limitUsedPercent: Int64?
}

/// Everything the customer page shows, bounded whatever the customer's size: the aging covers every
/// open item, the lists show the first of them and say how many there are.
public struct CustomerFile: Sendable {
    /// At most this many open invoices (oldest due first), unapplied credits (oldest first) and ledger
    /// lines (the latest) are listed.
    public static let openInvoicesShown = 100, creditsShown = 50, ledgerLinesShown = 200

    public let customer: StoredCustomer
    public let aging: AgingReport.Row?
    public let buckets: AgingBuckets
    public let openInvoices: [OpenInvoice]
    public let openInvoiceCount: Int
    public let unappliedCredits: [StoredCredit]
    public let unappliedCount: Int
    /// The latest movements from the day asked for; `ledger.from` is where the lines shown start.
    public let ledger: CustomerLedger
    /// Movements between the day asked for and `ledger.from` that are not listed (in its opening balance).
    public let ledgerLinesNotShown: Int
}

extension Reports {
    public enum CustomerSort: String, CaseIterable, Sendable {
        case code, name, balance, overdue
    }

    /// `part` as a whole percentage of `whole` (> 0, same currency), in 128 bits and clamped: never traps, whatever the amounts.
    static func percent(_ part: Money, of whole: Money) -> Int64 {
        precondition(part.currency == whole.currency && whole.isPositive, "a percentage of a positive amount in one currency")
        return Int64(clamping: Int128(part.minorUnits) * 100 / Int128(whole.minorUnits))
    }

    /// The customers the caller may see, matching `search` (code or name), sorted, one page of them.
    /// `total` counts every customer found; `balance` and `overdue` sum them all (the book's currency), not only the page's.
    public func standings(asOf: Day, search: String, sort: CustomerSort, page: Int, pageSize: Int) async throws
        -> (rows: [CustomerStanding], total: Int, balance: Money, overdue: Money) {
        let principal = caller.principal
        try principal.require(.readBook)
        guard page >= 0, (1...500).contains(pageSize), search.count <= 100 else {
            throw BookError.invalid(field: "page", reason: "page ≥ 0, page size 1…500, search ≤ 100 characters")
        }
        return try await storage.read { reader in
            let directory = try reader.customerDirectory()
            let currency = try reader.settings().currency
            let report = try Self.aging(.init(asOf: asOf), reader: reader, principal: principal, directory: directory)
            var byCustomer: [Customer.ID: AgingReport.Row] = [:]
            for row in report.rows { byCustomer[row.customer] = row }
            let needle = search.lowercased()
            var rows: [CustomerStanding] = []
            for (id, summary) in directory where principal.sees(summary) && summary.currency == currency {
                if !needle.isEmpty, !summary.code.rawValue.lowercased().contains(needle), !summary.name.lowercased().contains(needle) { continue }
                let row = byCustomer[id]
                let balance = row?.balance ?? .zero(summary.currency)
                rows.append(CustomerStanding(id: id, summary: summary, balance: balance,
                                             overdue: row?.overdue ?? .zero(summary.currency),
                                             limitUsedPercent: summary.creditLimit.isPositive ? Self.percent(balance, of: summary.creditLimit) : nil))
            }
            switch sort {
            case .code: rows.sort { $0.summary.code < $1.summary.code }
            case .name: rows.sort { ($0.summary.name, $0.summary.code) < ($1.summary.name, $1.summary.code) }
            case .balance: rows.sort { ($0.balance.minorUnits, $1.summary.code) > ($1.balance.minorUnits, $0.summary.code) }
            case .overdue: rows.sort { ($0.overdue.minorUnits, $1.summary.code) > ($1.overdue.minorUnits, $0.summary.code) }
            }
            let start = min(page * pageSize, rows.count)
            // Exact, or `MoneyError.overflow` (a total past 64 bits of minor units), never a trap.
            return (Array(rows[start..<min(start + pageSize, rows.count)]), rows.count,
                    try Money.total(rows.map(\.balance), in: currency), try Money.total(rows.map(\.overdue), in: currency))
        }
    }

    /// The customer page as of today: profile, aging from the customer's own open items (as they stand now), open
    /// invoices, unapplied credits and the ledger from `ledgerFrom`.
    public func customerFile(_ code: Customer.Code, today asOf: Day, ledgerFrom: Day) async throws -> CustomerFile {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let stored = try Self.visibleCustomer(code, reader: reader, principal: principal)
            let customer = stored.customer
            let credits = try reader.unappliedCredits(customer: stored.id)
            let aging = try Self.standing(of: stored, credits: credits, asOf: asOf, reader: reader)
            var (opening, movements) = try reader.ledgerMovements(customer: stored.id, currency: customer.currency, from: ledgerFrom,
                                                                   to: asOf, chart: reader.settings().chart)
            // Only the latest lines, cut between days so that the opening balance is the balance before a whole day.
            var from = ledgerFrom, notShown = 0
            if movements.count > CustomerFile.ledgerLinesShown {
                var cut = movements.count - CustomerFile.ledgerLinesShown
                while cut < movements.count, movements[cut].day == movements[cut - 1].day { cut += 1 }
                if cut == movements.count { cut = movements.count - 1 }
                while cut > 0, movements[cut].day == movements[cut - 1].day { cut -= 1 }
                notShown = cut
                opening = try Money.total([opening] + movements[..<cut].map(\.amount), in: customer.currency)
                from = movements[cut].day
                movements.removeFirst(cut)
            }
            let ledger = try CustomerLedger(customer: customer.code, name: customer.name, currency: customer.currency, from: from,
                                        to: asOf, opening: opening, movements: movements)
            let open = try reader.openInvoices(customer: stored.id)
            return CustomerFile(customer: stored, aging: aging, buckets: .standard,
                                openInvoices: Array(open.prefix(CustomerFile.openInvoicesShown)), openInvoiceCount: open.count,
                                unappliedCredits: Array(credits.prefix(CustomerFile.creditsShown)), unappliedCount: credits.count,
                                ledger: ledger, ledgerLinesNotShown: notShown)
        }
    }

    /// A customer with what they owe as of `asOf` (open items as they stand now, less unapplied credits),
    /// in the standard buckets.
    public func customerStanding(_ code: Customer.Code, asOf: Day) async throws -> (customer: StoredCustomer, aging: AgingReport.Row?) {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let stored = try Self.visibleCustomer(code, reader: reader, principal: principal)
            return (stored, try Self.standing(of: stored, credits: reader.unappliedCredits(customer: stored.id), asOf: asOf, reader: reader))
        }
    }

    static func standing(of stored: StoredCustomer, credits: [StoredCredit], asOf: Day, reader: any BookReader) throws -> AgingReport.Row? {
        let customer = stored.customer
        var accumulator = AgingAccumulator(asOf: asOf, basis: .due, buckets: .standard, currency: customer.currency)
        for item in try reader.openItems(customer: stored.id) where item.issue <= asOf {
            try accumulator.addOpen(customer: stored.id, issue: item.issue, due: item.due, minorUnits: item.open.minorUnits)
        }
        for credit in credits where credit.day <= asOf {
            try accumulator.addUnapplied(customer: stored.id, minorUnits: credit.unapplied.minorUnits)
        }
        return try accumulator.report(names: [stored.id: (customer.code, customer.name)]).rows.first
    }
}

extension Reports {
    /// How many candidates a lookup that matches several customers names.
    public static let lookupCandidatesShown = 5

    /// The customer a person means by `text`: its code, its exact name, or the one customer whose code
    /// or name contains it (case ignored), among the customers the caller sees. No match is "customer
    /// not found"; several are refused with the first few named, so the person can pick one.
    public func findCustomer(_ text: String) async throws -> Customer.Code {
        let principal = caller.principal
        try principal.require(.readBook)
        let wanted = text.trimmed
        guard !wanted.isEmpty else { throw BookError.invalid(field: "customer", reason: "customer is empty") }
        guard wanted.count <= 200 else { throw BookError.notFound(what: "customer", key: String(wanted.prefix(64))) }
        return try await storage.read { reader in
            let visible = try reader.customerDirectory().values.filter { principal.sees($0) }
            if let exact = visible.first(where: { $0.code.rawValue == wanted }) ?? visible.first(where: { $0.name == wanted }) {
                return exact.code
            }
            let needle = wanted.lowercased()
            let matches = visible.filter { $0.code.rawValue.lowercased().contains(needle) || $0.name.lowercased().contains(needle) }
                .sorted { $0.code < $1.code }
            guard let first = matches.first else { throw BookError.notFound(what: "customer", key: wanted) }
            guard matches.count == 1 else {
                let named = matches.prefix(Self.lookupCandidatesShown).map { "\($0.code.rawValue) \($0.name)" }.joined(separator: ", ")
                throw BookError.invalid(field: "customer",
                                        reason: "\(matches.count) customers match '\(wanted)': \(named)\(matches.count > Self.lookupCandidatesShown ? ", …" : "")")
            }
            return first.code
        }
    }
}

extension Reports {
    /// A customer's history of changes, newest first: created, changed (with the values before and
    /// after), assigned, held and released, exempted; at most `limit` records. Anyone who sees the
    /// customer sees their history: the audit trail at large stays for auditors and administrators.
    public func customerHistory(_ code: Customer.Code, limit: Int = 100) async throws -> [AuditRecord] {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            _ = try Self.visibleCustomer(code, reader: reader, principal: principal)
            return try reader.auditRecords(entity: "customer", key: code.rawValue, limit: min(max(limit, 1), 500))
        }
    }
}

extension Reports {
    /// The customers the caller sees whose code or name contains `text` (case ignored), codes that
    /// start with it first, at most `limit`: what a customer field offers as a person types.
    public func lookupCustomers(_ text: String, limit: Int = 20) async throws -> [CustomerSummary] {
        let principal = caller.principal
        try principal.require(.readBook)
        let needle = text.trimmed.lowercased()
        guard !needle.isEmpty, needle.count <= 200 else { return [] }
        return try await storage.read { reader in
            let matches = try reader.customerDirectory().values.filter { summary in
                principal.sees(summary) && (summary.code.rawValue.lowercased().contains(needle) || summary.name.lowercased().contains(needle))
            }
            return matches.sorted { a, b in
                let aStarts = a.code.rawValue.lowercased().hasPrefix(needle), bStarts = b.code.rawValue.lowercased().hasPrefix(needle)
                return aStarts != bStarts ? aStarts : a.code < b.code
            }.prefix(min(max(limit, 1), 50)).map { $0 }
        }
    }
}
