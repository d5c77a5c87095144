/// A customer's account (客户往来明细): opening balance, each document, running balance, closing.
public struct CustomerLedger: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public let day: Day
        public let kind: EntryKind
        public let document: String
        public let description: String
        /// What the customer owes more (debit) or less (credit) through this document.
        public let debit: Money
        public let credit: Money
        public let balance: Money
    }

    public let customer: Customer.Code
    public let name: String
    public let currency: Currency
    public let from: Day?
    public let to: Day
    public let opening: Money
    public let lines: [Line]
    public var closing: Money { lines.last?.balance ?? opening }

    /// A movement of the customer's net position before running balances are known.
    public struct Movement: Hashable, Sendable {
        public let day: Day
        public let sequence: Int64
        public let kind: EntryKind
        public let document: String
        public let description: String
        /// Signed: positive raises what the customer owes.
        public let amount: Money
        public init(day: Day, sequence: Int64, kind: EntryKind, document: String, description: String, amount: Money) {
            self.day = day
            self.sequence = sequence
            self.kind = kind
            self.document = document
            self.description = description
            self.amount = amount
        }
    }

    /// Orders the movements by day then sequence and runs the balance from `opening`; a running
    /// balance beyond 64 bits is `.overflow`, an amount of another currency `.currencyMismatch`.
    public init(customer: Customer.Code, name: String, currency: Currency, from: Day?, to: Day,
                opening: Money, movements: [Movement]) throws(MoneyError) {
        self.customer = customer
        self.name = name
        self.currency = currency
        self.from = from
        self.to = to
        self.opening = opening
        guard opening.currency == currency else { throw .currencyMismatch(currency, opening.currency) }
        let money = { (minorUnits: Int64) in Money(minorUnits: minorUnits, currency: currency) }
        var balance = Int128(opening.minorUnits)
        var lines: [Line] = []
        lines.reserveCapacity(movements.count)
        for movement in movements.sorted(by: { ($0.day, $0.sequence) < ($1.day, $1.sequence) }) {
            guard movement.amount.currency == currency else { throw .currencyMismatch(currency, movement.amount.currency) }
            let amount = movement.amount.minorUnits
            balance += Int128(amount)
            guard let running = Int64(exactly: balance), amount != .min else { throw .overflow }
            lines.append(Line(day: movement.day, kind: movement.kind, document: movement.document,
                              description: movement.description, debit: money(max(amount, 0)),
                              credit: money(max(-amount, 0)), balance: money(running)))
        }
        self.lines = lines
    }
}
