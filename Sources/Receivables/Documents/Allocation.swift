/// An open item as the allocation rule sees it: one instalment of an invoice (or a fee).
public struct OpenItem: Hashable, Sendable {
    public let id: OpenItem.ID
    public let customer: Customer.ID
    public let issue: Day
    public let due: Day
    public let amount: Money
    public let open: Money

    public init(id: OpenItem.ID, customer: Customer.ID, issue: Day, due: Day, amount: Money, open: Money) {
        self.id = id
        self.customer = customer
        self.issue = issue
        self.due = due
        self.amount = amount
        self.open = open
    }
}

/// A credit as the allocation rule sees it: a receipt or a credit note with what is left to apply.
public struct Credit: Hashable, Sendable {
    public let id: Credit.ID
    public let customer: Customer.ID
    public let day: Day
    public let unapplied: Money
    public let reversed: Bool

    public init(id: Credit.ID, customer: Customer.ID, day: Day, unapplied: Money, reversed: Bool) {
        self.id = id
        self.customer = customer
        self.day = day
        self.unapplied = unapplied
        self.reversed = reversed
    }
}

/// Why an allocation (核销) was refused. Each case is one broken rule of ARCHITECTURE.md rule 5.
public enum AllocationRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case amountNotPositive
    case currencyMismatch
    case customerMismatch
    case exceedsOpenAmount(open: Money)
    case exceedsUnappliedCredit(unapplied: Money)
    case creditReversed
    case alreadyReversed
    case dayBeforeDocuments

    public var description: String {
        switch self {
        case .amountNotPositive: "amount to apply must be greater than zero"
        case .currencyMismatch: "credit and open item are in different currencies"
        case .customerMismatch: "credit and open item belong to different customers"
        case .exceedsOpenAmount(let open): "amount is more than the \(open.decimalString) open on the item"
        case .exceedsUnappliedCredit(let unapplied): "amount is more than the \(unapplied.decimalString) left on the credit"
        case .creditReversed: "the credit has been reversed"
        case .alreadyReversed: "the allocation has already been reversed"
        case .dayBeforeDocuments: "a reversal cannot be dated before the allocation it undoes"
        }
    }
}

/// The rule that joins a credit to an open item.
public enum AllocationRule {
    /// Checks that `amount` of `credit` may be applied to `item`, and returns the day the allocation
    /// takes effect: the later of the two documents' days.
    public static func check(credit: Credit, item: OpenItem, amount: Money) throws(AllocationRejection) -> Day {
        guard amount.isPositive else { throw .amountNotPositive }
        guard credit.unapplied.currency == item.open.currency, amount.currency == item.open.currency else {
            throw .currencyMismatch
        }
        guard credit.customer == item.customer else { throw .customerMismatch }
        guard !credit.reversed else { throw .creditReversed }
        guard amount <= item.open else { throw .exceedsOpenAmount(open: item.open) }
        guard amount <= credit.unapplied else { throw .exceedsUnappliedCredit(unapplied: credit.unapplied) }
        return max(credit.day, item.issue)
    }

    /// Spreads `available` over `items` oldest due first (then oldest issue, then id), never more than
    /// each item has open. Returns the item ids and amounts, in that order, leaving out zeros.
    public static func oldestDueFirst(available: Money, items: [OpenItem]) -> [(item: OpenItem, amount: Money)] {
        let ordered = items.sorted { ($0.due, $0.issue, $0.id) < ($1.due, $1.issue, $1.id) }
        return fill(available: available, in: ordered)
    }

    /// Spreads `available` over `items` in the order given, never more than each has open.
    public static func fill(available: Money, in items: [OpenItem]) -> [(item: OpenItem, amount: Money)] {
        zip(items, spread(available: available, over: items.map(\.open))).compactMap { item, amount in
            amount.isPositive ? (item, amount) : nil
        }
    }

    /// How much of `available` goes to each open amount, in order: each gets what it has open until
    /// the money runs out. The parts sum to at most `available`.
    public static func spread(available: Money, over open: [Money]) -> [Money] {
        var left = Swift.max(available.minorUnits, 0)
        return open.map { amount in
            let take = Swift.min(left, Swift.max(amount.minorUnits, 0))
            left -= take
            return Money(minorUnits: take, currency: amount.currency)
        }
    }
}
