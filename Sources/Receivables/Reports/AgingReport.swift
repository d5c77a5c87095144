/// An aging report (账龄分析) as of one day, in one currency.
public struct AgingReport: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public let customer: Customer.ID
        public let code: Customer.Code
        public let name: String
        /// Open amounts per bucket, in minor units.
        public let buckets: [Int64]
        /// Unapplied credits (advances), in minor units, positive.
        public let unapplied: Int64
        /// Σ buckets − unapplied.
        public let balance: Int64
    }

    public let asOf: Day
    public let basis: AgingBasis
    public let currency: Currency
    public let buckets: AgingBuckets
    public let rows: [Row]
    public let totalBuckets: [Int64]
    public let totalUnapplied: Int64
    public let totalBalance: Int64
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
    private var open: [Customer.ID: [Int64]] = [:]
    private var unapplied: [Customer.ID: Int64] = [:]

    public init(asOf: Day, basis: AgingBasis, buckets: AgingBuckets, currency: Currency) {
        self.asOf = asOf
        self.basis = basis
        self.buckets = buckets
        self.currency = currency
    }

    /// Adds an open amount of an item that was issued on `issue` and falls due on `due`.
    public mutating func addOpen(customer: Customer.ID, issue: Day, due: Day, minorUnits: Int64) throws(MoneyError) {
        let age = (basis == .due ? due : issue).distance(to: asOf)
        let index = buckets.index(forDays: age)
        var row = open[customer] ?? Array(repeating: 0, count: buckets.borders.count + 2)
        row[index] = try Self.add(row[index], minorUnits)
        open[customer] = row
    }

    /// Adds an unapplied credit amount (positive).
    public mutating func addUnapplied(customer: Customer.ID, minorUnits: Int64) throws(MoneyError) {
        unapplied[customer] = try Self.add(unapplied[customer] ?? 0, minorUnits)
    }

    /// The report, with customers ordered by code; customers with nothing open and nothing unapplied are left out.
    public func report(names: [Customer.ID: (code: Customer.Code, name: String)]) throws(MoneyError) -> AgingReport {
        let width = buckets.borders.count + 2
        var rows: [AgingReport.Row] = []
        var totals = Array(repeating: Int64(0), count: width)
        var totalUnapplied: Int64 = 0
        var totalBalance: Int64 = 0
        for customer in Set(open.keys).union(unapplied.keys) {
            let amounts = open[customer] ?? Array(repeating: 0, count: width)
            let credit = unapplied[customer] ?? 0
            guard credit != 0 || amounts.contains(where: { $0 != 0 }) else { continue }
            var openTotal: Int64 = 0
            for (index, amount) in amounts.enumerated() {
                openTotal = try Self.add(openTotal, amount)
                totals[index] = try Self.add(totals[index], amount)
            }
            let balance = try Self.add(openTotal, -credit)
            totalUnapplied = try Self.add(totalUnapplied, credit)
            totalBalance = try Self.add(totalBalance, balance)
            let name = names[customer] ?? (Customer.Code("#\(customer.rawValue)"), "")
            rows.append(.init(customer: customer, code: name.code, name: name.name, buckets: amounts,
                              unapplied: credit, balance: balance))
        }
        rows.sort { ($0.code, $0.customer) < ($1.code, $1.customer) }
        return AgingReport(asOf: asOf, basis: basis, currency: currency, buckets: buckets, rows: rows,
                           totalBuckets: totals, totalUnapplied: totalUnapplied, totalBalance: totalBalance)
    }

    private static func add(_ a: Int64, _ b: Int64) throws(MoneyError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .overflow }
        return sum
    }
}
