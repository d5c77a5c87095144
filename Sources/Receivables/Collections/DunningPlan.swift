/// An open item as dunning sees it. Its amounts are in the currency of the account it is in.
public struct DunningItem: Hashable, Sendable {
    public let id: OpenItem.ID
    public let invoice: DocumentNumber
    public let due: Day
    /// The item's amount and what is open now.
    public let amount: Money
    public let open: Money
    /// Held back by open disputes (争议): stays in aging, leaves dunning.
    public let disputed: Money
    /// The highest level already sent for this item (0: none).
    public let levelSent: Int
    /// A fee receivable: chased, but never charged interest.
    public let isFee: Bool
    /// The open amount over time, for late interest.
    public let history: [LateInterest.Stretch]
    /// Interest already charged on this item.
    public let interestCharged: Money

    public init(id: OpenItem.ID, invoice: DocumentNumber, due: Day, amount: Money, open: Money, disputed: Money? = nil, levelSent: Int = 0,
                isFee: Bool = false, history: [LateInterest.Stretch] = [], interestCharged: Money? = nil) {
        self.id = id
        self.invoice = invoice
        self.due = due
        self.amount = amount
        self.open = open
        self.disputed = disputed ?? .zero(amount.currency)
        self.levelSent = levelSent
        self.isFee = isFee
        self.history = history
        self.interestCharged = interestCharged ?? .zero(amount.currency)
    }
}

/// A promise to pay (承诺付款): an amount by a day, for one invoice or the whole account.
public struct PromiseToPay: Hashable, Sendable {
    public typealias ID = Identifier<PromiseToPay>
    public enum Status: String, Sendable { case pending, kept, broken }

    public let id: ID
    /// nil: the whole account.
    public let invoice: DocumentNumber?
    public let amount: Money
    /// The day the customer promised to pay by.
    public let day: Day
    /// Received from the customer since the promise was made (decides kept or broken), in the promise's currency.
    public let paid: Money
    /// Whether its breaking has already escalated dunning.
    public let escalated: Bool

    public init(id: ID, invoice: DocumentNumber?, amount: Money, day: Day, paid: Money, escalated: Bool = false) {
        self.id = id
        self.invoice = invoice
        self.amount = amount
        self.day = day
        self.paid = paid
        self.escalated = escalated
    }

    /// Kept once enough was received; pending through its day; broken after.
    public func status(asOf: Day) -> Status {
        if paid.minorUnits >= amount.minorUnits { return .kept }
        return asOf <= day ? .pending : .broken
    }

    func covers(_ item: DunningItem) -> Bool { invoice == nil || invoice == item.invoice }
}

/// One customer's account as the dunning run sees it.
public struct DunningAccount: Sendable {
    public let customer: Customer.ID
    /// The currency the customer owes in: every amount of the account is in it.
    public let currency: Currency
    public let policy: DunningPolicy
    public let exempt: Bool
    public let items: [DunningItem]
    public let unapplied: Money
    public let promises: [PromiseToPay]

    public init(customer: Customer.ID, currency: Currency, policy: DunningPolicy, exempt: Bool = false, items: [DunningItem],
                unapplied: Money? = nil, promises: [PromiseToPay] = []) {
        precondition(items.allSatisfy { $0.amount.currency == currency }, "a dunning account's items are in its currency")
        self.customer = customer
        self.currency = currency
        self.policy = policy
        self.exempt = exempt
        self.items = items
        self.unapplied = unapplied ?? .zero(currency)
        self.promises = promises
    }
}

/// One message the run sends: a customer, a level, the items that reached it, and what it charges.
public struct DunningNotice: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public let item: OpenItem.ID
        public let invoice: DocumentNumber
        public let due: Day
        public let daysPastDue: Int
        /// What is chased on this item: open, less disputed, less what unapplied credits cover.
        public let chased: Money
        /// Late interest charged on it with this message.
        public let interest: Money
        /// The level this item has reached (the message is at the highest of its items' levels).
        public let level: Int

        public init(item: OpenItem.ID, invoice: DocumentNumber, due: Day, daysPastDue: Int, chased: Money, interest: Money, level: Int) {
            self.item = item
            self.invoice = invoice
            self.due = due
            self.daysPastDue = daysPastDue
            self.chased = chased
            self.interest = interest
            self.level = level
        }
    }

    public let customer: Customer.ID
    public let currency: Currency
    public let level: DunningLevel
    public let lines: [Line]
    /// The level's fixed fee.
    public let fee: Money
    /// Broken promises whose escalation this notice carries.
    public let escalates: [PromiseToPay.ID]
    /// What follows besides the message: the actions of its level and of every level before it, since
    /// a hold or a hand-over is a state the account is in, also when old debt enters at a later level.
    public let actions: Set<DunningAction>

    public init(customer: Customer.ID, currency: Currency, level: DunningLevel, lines: [Line], fee: Money, escalates: [PromiseToPay.ID],
                actions: Set<DunningAction>? = nil) throws(MoneyError) {
        chased = try Money.total(lines.map(\.chased), in: currency)
        interest = try Money.total(lines.map(\.interest), in: currency)
        charges = try Money.total([fee, interest], in: currency)
        self.customer = customer
        self.currency = currency
        self.level = level
        self.lines = lines
        self.fee = fee
        self.escalates = escalates
        self.actions = actions ?? level.actions
    }

    /// What the notice chases, and the interest on it: sums made once, exact (`.overflow` at making
    /// the notice rather than a trap when shown).
    public let chased: Money
    public let interest: Money
    /// Fee and interest: charged as one fee receivable.
    public let charges: Money
}

/// The dunning rule: what to send each customer on a day.
///
/// A customer gets at most one message a run: it lists every item due a level, each with its own
/// level, and is written at the highest level reached (its channels, fee and actions are that
/// level's). An item enters at the level its age has reached (old debt does not start at level 1),
/// never goes back a level and never gets the same level twice. Not chased: disputed amounts, items under a
/// pending promise to pay, what the customer's unapplied credits cover (oldest due first, as they
/// would be allocated), customers whose net position is ≤ 0, exempted customers. A broken promise
/// moves its items up one level at once, once. Late fees are chased like any item but never charged
/// interest, and a message chasing nothing but fees charges no fee of its own.
public enum DunningPlan {
    /// The account's message for the day, if anything is due a level: at most one.
    public static func notices(for account: DunningAccount, asOf: Day) throws(MoneyError) -> [DunningNotice] {
        guard !account.exempt else { return [] }
        let currency = account.currency
        let openTotal = try Money.total(account.items.map(\.open.minorUnits))
        guard Int128(openTotal) - Int128(account.unapplied.minorUnits) > 0 else { return [] }
        let pending = account.promises.filter { $0.status(asOf: asOf) == .pending }
        if pending.contains(where: { $0.invoice == nil }) { return [] }
        let broken = account.promises.filter { $0.status(asOf: asOf) == .broken && !$0.escalated }
        // Minor units of the account's currency while the rule runs; Money again in what it makes.
        var cover = account.unapplied.minorUnits
        var lines: [DunningNotice.Line] = []
        var escalating: Set<PromiseToPay.ID> = []
        let fees = Set(account.items.filter(\.isFee).map(\.id))
        for item in account.items.sorted(by: { ($0.due, $0.id) < ($1.due, $1.id) }) {
            var chased = max(0, item.open.minorUnits - item.disputed.minorUnits)
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
            var interest = Money.zero(currency)
            if reached.chargesInterest, let terms = account.policy.lateFee, !item.isFee, item.disputed.isZero {
                let accrued = try LateInterest.accrued(due: item.due, terms: terms, history: item.history, through: asOf, currency: currency)
                interest = LateInterest.chargeable(accrued: accrued, charged: item.interestCharged, amount: item.amount, terms: terms)
            }
            lines.append(.init(item: item.id, invoice: item.invoice, due: item.due, daysPastDue: age,
                               chased: Money(minorUnits: chased, currency: currency), interest: interest, level: level))
            escalating.formUnion(breaking)
        }
        guard let number = lines.map(\.level).max(), let level = account.policy.level(number) else { return [] }
        // The highest level's fee, once: charged for chasing the debt, not for chasing earlier fees (no fee on
        // fees alone). A fee stated in another currency than the customer's is not charged.
        let chasesDebt = lines.contains { !fees.contains($0.item) }
        let fee = chasesDebt ? level.fee.flatMap { $0.currency == currency ? $0 : nil } ?? .zero(currency) : .zero(currency)
        return [try DunningNotice(customer: account.customer, currency: currency, level: level, lines: lines, fee: fee,
                                  escalates: escalating.sorted(),
                                  actions: account.policy.levels.prefix(number).reduce(into: Set()) { $0.formUnion($1.actions) })]
    }
}
