/// An open item as dunning sees it.
public struct DunningItem: Hashable, Sendable {
    public let id: Int64
    public let invoice: DocumentNumber
    public let due: Day
    /// The item's amount and what is open now, minor units.
    public let amount: Int64
    public let open: Int64
    /// Held back by open disputes (争议): stays in aging, leaves dunning.
    public let disputed: Int64
    /// The highest level already sent for this item (0: none).
    public let levelSent: Int
    /// A fee receivable: chased, but never charged interest.
    public let isFee: Bool
    /// The open amount over time, for late interest.
    public let history: [LateInterest.Stretch]
    /// Interest already charged on this item.
    public let interestCharged: Int64

    public init(id: Int64, invoice: DocumentNumber, due: Day, amount: Int64, open: Int64, disputed: Int64 = 0, levelSent: Int = 0,
                isFee: Bool = false, history: [LateInterest.Stretch] = [], interestCharged: Int64 = 0) {
        self.id = id
        self.invoice = invoice
        self.due = due
        self.amount = amount
        self.open = open
        self.disputed = disputed
        self.levelSent = levelSent
        self.isFee = isFee
        self.history = history
        self.interestCharged = interestCharged
    }
}

/// A promise to pay (承诺付款): an amount by a day, for one invoice or the whole account.
public struct PromiseToPay: Hashable, Sendable {
    public enum Status: String, Sendable { case pending, kept, broken }

    public let id: Int64
    /// nil: the whole account.
    public let invoice: DocumentNumber?
    public let amount: Int64
    /// The day the customer promised to pay by.
    public let day: Day
    /// Received from the customer since the promise was made (decides kept or broken).
    public let paid: Int64
    /// Whether its breaking has already escalated dunning.
    public let escalated: Bool

    public init(id: Int64, invoice: DocumentNumber?, amount: Int64, day: Day, paid: Int64, escalated: Bool = false) {
        self.id = id
        self.invoice = invoice
        self.amount = amount
        self.day = day
        self.paid = paid
        self.escalated = escalated
    }

    /// Kept once enough was received; pending through its day; broken after.
    public func status(asOf: Day) -> Status {
        if paid >= amount { return .kept }
        return asOf <= day ? .pending : .broken
    }

    func covers(_ item: DunningItem) -> Bool { invoice == nil || invoice == item.invoice }
}

/// One customer's account as the dunning run sees it.
public struct DunningAccount: Sendable {
    public let customer: Customer.ID
    /// The currency the customer owes in: the items' amounts are its minor units.
    public let currency: Currency
    public let policy: DunningPolicy
    public let exempt: Bool
    public let items: [DunningItem]
    public let unapplied: Int64
    public let promises: [PromiseToPay]

    public init(customer: Customer.ID, currency: Currency, policy: DunningPolicy, exempt: Bool = false, items: [DunningItem],
                unapplied: Int64 = 0, promises: [PromiseToPay] = []) {
        self.customer = customer
        self.currency = currency
        self.policy = policy
        self.exempt = exempt
        self.items = items
        self.unapplied = unapplied
        self.promises = promises
    }
}

/// One message the run sends: a customer, a level, the items that reached it, and what it charges.
public struct DunningNotice: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public let item: Int64
        public let invoice: DocumentNumber
        public let due: Day
        public let daysPastDue: Int
        /// What is chased on this item: open, less disputed, less what unapplied credits cover.
        public let chased: Int64
        /// Late interest charged on it with this message.
        public let interest: Int64

        public init(item: Int64, invoice: DocumentNumber, due: Day, daysPastDue: Int, chased: Int64, interest: Int64) {
            self.item = item
            self.invoice = invoice
            self.due = due
            self.daysPastDue = daysPastDue
            self.chased = chased
            self.interest = interest
        }
    }

    public let customer: Customer.ID
    public let level: DunningLevel
    public let lines: [Line]
    /// The level's fixed fee.
    public let fee: Int64
    /// Broken promises whose escalation this notice carries.
    public let escalates: [Int64]
    /// What follows besides the message: the actions of its level and of every level before it, since
    /// a hold or a hand-over is a state the account is in, also when old debt enters at a later level.
    public let actions: Set<DunningAction>

    public init(customer: Customer.ID, level: DunningLevel, lines: [Line], fee: Int64, escalates: [Int64],
                actions: Set<DunningAction>? = nil) throws(MoneyError) {
        chased = try Money.total(lines.map(\.chased))
        interest = try Money.total(lines.map(\.interest))
        charges = try Money.total([fee, interest])
        self.customer = customer
        self.level = level
        self.lines = lines
        self.fee = fee
        self.escalates = escalates
        self.actions = actions ?? level.actions
    }

    /// What the notice chases, and the interest on it: sums made once, exact (`.overflow` at making
    /// the notice rather than a trap when shown).
    public let chased: Int64
    public let interest: Int64
    /// Fee and interest: charged as one fee receivable.
    public let charges: Int64
}

/// The dunning rule: what to send each customer on a day.
///
/// An item enters at the level its age has reached (old debt does not start at level 1), never goes
/// back a level and never gets the same level twice. Not chased: disputed amounts, items under a
/// pending promise to pay, what the customer's unapplied credits cover (oldest due first, as they
/// would be allocated), customers whose net position is ≤ 0, exempted customers. A broken promise
/// moves its items up one level at once, once. Late fees are chased like any item but never charged
/// interest, and a message chasing nothing but fees charges no fee of its own.
public enum DunningPlan {
    public static func notices(for account: DunningAccount, asOf: Day) throws(MoneyError) -> [DunningNotice] {
        guard !account.exempt else { return [] }
        let openTotal = try Money.total(account.items.map(\.open))
        guard Int128(openTotal) - Int128(account.unapplied) > 0 else { return [] }
        let pending = account.promises.filter { $0.status(asOf: asOf) == .pending }
        if pending.contains(where: { $0.invoice == nil }) { return [] }
        let broken = account.promises.filter { $0.status(asOf: asOf) == .broken && !$0.escalated }
        var cover = account.unapplied
        var byLevel: [Int: [DunningNotice.Line]] = [:]
        var escalating: [Int: Set<Int64>] = [:]
        let fees = Set(account.items.filter(\.isFee).map(\.id))
        for item in account.items.sorted(by: { ($0.due, $0.id) < ($1.due, $1.id) }) {
            var chased = max(0, item.open - item.disputed)
            let covered = min(cover, chased)
            cover -= covered
            chased -= covered
            guard chased > 0, !pending.contains(where: { $0.covers(item) }) else { continue }
            let age = item.due.distance(to: asOf)
            var level = account.policy.levelReached(daysPastDue: age)
            let breaking = broken.filter { $0.covers(item) }.map(\.id)
            if !breaking.isEmpty {
                level = max(level, min(item.levelSent + 1, account.policy.levels.count))
            }
            guard level > item.levelSent, let reached = account.policy.level(level) else { continue }
            var interest: Int64 = 0
            if reached.chargesInterest, let terms = account.policy.lateFee, !item.isFee, item.disputed == 0 {
                let accrued = try LateInterest.accrued(due: item.due, terms: terms, history: item.history, through: asOf)
                interest = LateInterest.chargeable(accrued: accrued, charged: item.interestCharged, amount: item.amount, terms: terms)
            }
            byLevel[level, default: []].append(.init(item: item.id, invoice: item.invoice, due: item.due, daysPastDue: age,
                                                      chased: chased, interest: interest))
            escalating[level, default: []].formUnion(breaking)
        }
        var notices: [DunningNotice] = []
        for number in byLevel.keys.sorted() {
            guard let level = account.policy.level(number), let lines = byLevel[number] else { continue }
            // A level's fee is charged for chasing the debt, not for chasing earlier fees: no fee on fees alone.
            // A fee stated in another currency than the customer's is not charged.
            let chasesDebt = lines.contains { !fees.contains($0.item) }
            let fee = chasesDebt ? level.fee.flatMap { $0.currency == account.currency ? $0.minorUnits : nil } ?? 0 : 0
            notices.append(try DunningNotice(customer: account.customer, level: level, lines: lines, fee: fee,
                                             escalates: (escalating[number] ?? []).sorted(),
                                             actions: account.policy.levels.prefix(number).reduce(into: Set()) { $0.formUnion($1.actions) }))
        }
        return notices
    }
}
