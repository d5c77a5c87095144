/// A customer's account (客户往来明细): opening balance, each document, running balance, closing.
public struct CustomerLedger: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public let day: Day
        public let kind: EntryKind
        public let document: String
        public let description: String
        /// What the customer owes more (debit) or less (credit) through this document, minor units.
        public let debit: Int64
        public let credit: Int64
        public let balance: Int64
    }

    public let customer: Customer.Code
    public let name: String
    public let currency: Currency
    public let from: Day?
    public let to: Day
    public let opening: Int64
    public let lines: [Line]
    public var closing: Int64 { lines.last?.balance ?? opening }

    /// A movement of the customer's net position before running balances are known.
    public struct Movement: Hashable, Sendable {
        public let day: Day
        public let sequence: Int64
        public let kind: EntryKind
        public let document: String
        public let description: String
        /// Signed: positive raises what the customer owes.
        public let amount: Int64
        public init(day: Day, sequence: Int64, kind: EntryKind, document: String, description: String, amount: Int64) {
            self.day = day
            self.sequence = sequence
            self.kind = kind
            self.document = document
            self.description = description
            self.amount = amount
        }
    }

    /// Orders the movements by day then sequence and runs the balance from `opening`; a running
    /// balance beyond 64 bits is `.overflow`.
    public init(customer: Customer.Code, name: String, currency: Currency, from: Day?, to: Day,
                opening: Int64, movements: [Movement]) throws(MoneyError) {
        self.customer = customer
        self.name = name
        self.currency = currency
        self.from = from
        self.to = to
        self.opening = opening
        var balance = Int128(opening)
        var lines: [Line] = []
        lines.reserveCapacity(movements.count)
        for movement in movements.sorted(by: { ($0.day, $0.sequence) < ($1.day, $1.sequence) }) {
            balance += Int128(movement.amount)
            guard let running = Int64(exactly: balance), movement.amount != .min else { throw .overflow }
            lines.append(Line(day: movement.day, kind: movement.kind, document: movement.document,
                              description: movement.description, debit: max(movement.amount, 0),
                              credit: max(-movement.amount, 0), balance: running))
        }
        self.lines = lines
    }
}
