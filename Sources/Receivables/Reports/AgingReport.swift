/// An aging report (账龄分析) as of one day, in one currency.
public struct AgingReport: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public let customer: Customer.ID
        public let code: Customer.Code
        public let name: String
        /// Open amounts per bucket.
        public let buckets: [Money]
        /// Unapplied credits (advances), positive.
        public let unapplied: Money
        /// Σ buckets − unapplied.
        public let balance: Money
        /// Everything open: the sum of the buckets.
        public let open: Money
        /// What is past due: every bucket after the first ("current" on a due-day basis).
        public let overdue: Money
    }

    public let asOf: Day
    public let basis: AgingBasis
    public let currency: Currency
    public let buckets: AgingBuckets
    public let rows: [Row]
    public let totalBuckets: [Money]
    public let totalUnapplied: Money
    public let totalBalance: Money
    /// Everything open in the report: the sum of the total buckets.
    public let totalOpen: Money
    /// What is past due in the whole report: every bucket after the first.
    public let totalOverdue: Money
}

/// Collects what is open as of a day, one contribution at a time, and makes the report.
///
/// Contributions may come in any order and any pieces: an item's open amount as of the day may
/// arrive as its amount open today plus each allocation dated after the day, since all of them
/// fall in the bucket of the same due day.
public struct AgingAccumulator: Sendable {
    public let asOf: Day
    public let basis: AgingBasis
    public let buckets: AgingBuckets
    public let currency: Currency
    /// Each customer's row: its buckets, then its unapplied credits. Customers' ids are the book's row
    /// ids, small and dense, so a row is found by indexing `slot` with the id (hashing each of hundreds
    /// of thousands of items took a fifth of a report's time); an id too large for that goes through `farSlot`.
    private var slot: [Int32] = []
    private var farSlot: [Customer.ID: Int32] = [:]
    private var customers: [Customer.ID] = []
    private var amounts: [Int64] = []
    private let width: Int
    private static let denseIDs: Int64 = 1 << 24

    public init(asOf: Day, basis: AgingBasis, buckets: AgingBuckets, currency: Currency) {
        self.asOf = asOf
        self.basis = basis
        self.buckets = buckets
        self.currency = currency
        width = buckets.borders.count + 3
    }

    /// Where the customer's row starts in `amounts`, making the row on first use.
    private mutating func row(of customer: Customer.ID) -> Int {
        let id = customer.rawValue
        if id >= 0, id < Self.denseIDs {
            if Int(id) >= slot.count { slot.append(contentsOf: repeatElement(-1, count: Int(id) + 1 - slot.count)) }
            if slot[Int(id)] < 0 { slot[Int(id)] = newRow(customer) }
            return Int(slot[Int(id)]) * width
        }
        if let known = farSlot[customer] { return Int(known) * width }
        let made = newRow(customer)
        farSlot[customer] = made
        return Int(made) * width
    }

    private mutating func newRow(_ customer: Customer.ID) -> Int32 {
        customers.append(customer)
        amounts.append(contentsOf: repeatElement(0, count: width))
        return Int32(customers.count - 1)
    }

    /// Adds an open amount of an item that was issued on `issue` and falls due on `due`.
    public mutating func addOpen(customer: Customer.ID, issue: Day, due: Day, minorUnits: Int64) throws(MoneyError) {
        let age = (basis == .due ? due : issue).distance(to: asOf)
        let index = buckets.index(forDays: age)
        let start = row(of: customer)
        try Self.accumulate(&amounts[start + index], minorUnits)
    }

    /// Adds an unapplied credit amount (positive).
    public mutating func addUnapplied(customer: Customer.ID, minorUnits: Int64) throws(MoneyError) {
        let start = row(of: customer)
        try Self.accumulate(&amounts[start + width - 1], minorUnits)
    }

    /// The report, with customers ordered by code; customers with nothing open and nothing unapplied are left out.
    public func report(names: [Customer.ID: (code: Customer.Code, name: String)]) throws(MoneyError) -> AgingReport {
        var rows: [AgingReport.Row] = []
        var totals = Array(repeating: Int64(0), count: width - 1)
        var totalUnapplied: Int64 = 0
        var totalBalance: Int64 = 0
        for (index, customer) in customers.enumerated() {
            let start = index * width
            let amounts = Array(self.amounts[start..<(start + width - 1)])
            let credit = self.amounts[start + width - 1]
            guard credit != 0 || amounts.contains(where: { $0 != 0 }) else { continue }
            var openTotal: Int64 = 0
            for (index, amount) in amounts.enumerated() {
                openTotal = try Self.add(openTotal, amount)
                totals[index] = try Self.add(totals[index], amount)
            }
            let overdue = try Money.total(amounts.dropFirst())
            let balance = try Self.add(openTotal, -credit)
            totalUnapplied = try Self.add(totalUnapplied, credit)
            totalBalance = try Self.add(totalBalance, balance)
            let name = names[customer] ?? (Customer.Code("#\(customer.rawValue)"), "")
            rows.append(.init(customer: customer, code: name.code, name: name.name, buckets: amounts.map(money),
                              unapplied: money(credit), balance: money(balance), open: money(openTotal), overdue: money(overdue)))
        }
        rows.sort { ($0.code, $0.customer) < ($1.code, $1.customer) }
        return AgingReport(asOf: asOf, basis: basis, currency: currency, buckets: buckets, rows: rows,
                           totalBuckets: totals.map(money), totalUnapplied: money(totalUnapplied), totalBalance: money(totalBalance),
                           totalOpen: money(try Money.total(totals)), totalOverdue: money(try Money.total(totals.dropFirst())))
    }

    private func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: currency) }

    private static func accumulate(_ total: inout Int64, _ amount: Int64) throws(MoneyError) {
        total = try add(total, amount)
    }

    private static func add(_ a: Int64, _ b: Int64) throws(MoneyError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .overflow }
        return sum
    }
}
