import Testing
@testable import Receivables

@Suite struct MoneyTests {
    static let jpy = Currency(code: "JPY")!
    static let kwd = Currency(code: "KWD")!

    static let amounts: [(String, Int64)] = [
        ("1234.5", 123_450), ("1,234.50", 123_450), ("¥1,234.50", 123_450), ("￥12", 1200), ("-12.3", -1230),
        ("(5.00)", -500), ("RMB 100", 10_000), ("1,234,567.89", 123_456_789), ("0.01", 1), (" 7 ", 700), ("+3", 300),
        ("CNY 2.5", 250), ("¥-4", -400), ("12.", 1200),
    ]

    @Test(arguments: amounts)
    func parsesTheWaysPeopleWriteAmounts(text: String, minor: Int64) throws {
        #expect(try Money.parse(text, currency: .cny) == Money(minorUnits: minor, currency: .cny))
    }

    @Test(arguments: ["", "   ", "abc", "1,23", "12,345,67", "1..2", ",123", "1,2345", "12a", "1 000", "1234,567", "--1", "¥"])
    func rejectsWhatIsNotAnAmount(text: String) {
        #expect(throws: MoneyParseError.self) { try Money.parse(text, currency: .cny) }
    }

    @Test func amountsReadAsPeopleWriteThem() {
        #expect(Money(minorUnits: 123_456, currency: .cny).displayString == "¥1,234.56")
        #expect(Money(minorUnits: -500, currency: .cny).displayString == "-¥5.00")
        #expect(Money(minorUnits: 800, currency: Currency(code: "USD")!).displayString == "USD 8.00")
        #expect(Money(minorUnits: 1_000, currency: Currency(code: "JPY")!).displayString == "JPY 1,000")
    }

    @Test func aThirdDecimalIsAnError() {
        #expect(throws: MoneyParseError.tooManyDecimals("1.234", allowed: 2)) { try Money.parse("1.234", currency: .cny) }
    }

    @Test func decimalsFollowTheCurrencyExponent() throws {
        #expect(try Money.parse("1500", currency: Self.jpy).minorUnits == 1500)
        #expect(throws: MoneyParseError.self) { try Money.parse("1.5", currency: Self.jpy) }
        #expect(try Money.parse("1.234", currency: Self.kwd).minorUnits == 1234)
        #expect(Money(minorUnits: 1234, currency: Self.kwd).decimalString == "1.234")
        #expect(Money(minorUnits: 1234, currency: Self.jpy).decimalString == "1234")
    }

    @Test func overflowIsAnError() {
        #expect(throws: MoneyParseError.overflow("99999999999999999999")) { try Money.parse("99999999999999999999", currency: .cny) }
        let big = Money(minorUnits: .max - 1, currency: .cny)
        #expect(throws: MoneyError.overflow) { try big.adding(Money(minorUnits: 2, currency: .cny)) }
        #expect(throws: MoneyError.overflow) { try Money(minorUnits: .min, currency: .cny).negated() }
    }

    @Test func currenciesAreNeverAdded() {
        let usd = Currency(code: "USD")!
        #expect(throws: MoneyError.currencyMismatch(.cny, usd)) {
            try Money(minorUnits: 1, currency: .cny).adding(Money(minorUnits: 1, currency: usd))
        }
    }

    static let printed: [(Int64, String)] = [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (123_456_789, "1234567.89"), (-100, "-1.00")]

    @Test(arguments: printed)
    func printsExactDecimals(minor: Int64, text: String) {
        #expect(Money(minorUnits: minor, currency: .cny).decimalString == text)
    }

    @Test func groupsThousandsForPeople() {
        #expect(Money.decimalString(123_456_789, exponent: 2, grouping: true) == "1,234,567.89")
        #expect(Money.decimalString(-100_000, exponent: 2, grouping: true) == "-1,000.00")
    }

    @Test func currencyCodesAreThreeLetters() {
        #expect(Currency(code: "cny") == .cny)
        #expect(Currency(code: "CN") == nil)
        #expect(Currency(code: "C1Y") == nil)
    }
}

@Suite struct SplitTests {
    static let splits: [(Int64, [Int64], [Int64])] = [
        (10_001, [3000, 7000], [3000, 7001]),
        (100, [1, 1, 1], [34, 33, 33]),
        (2, [1, 1, 1], [1, 1, 0]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (0, [1, 2], [0, 0]),
    ]

    @Test(arguments: splits)
    func splitsExactlyByLargestRemainder(total: Int64, weights: [Int64], parts: [Int64]) {
        let result = Money(minorUnits: total, currency: .cny).split(weights: weights)
        #expect(result.map(\.minorUnits) == parts)
        #expect(result.reduce(0) { $0 + $1.minorUnits } == total)
    }

    @Test func partsAlwaysSumToTheWhole() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let total = Int64.random(in: -1_000_000_000...1_000_000_000, using: &random)
            let weights = (0..<Int.random(in: 1...12, using: &random)).map { _ in Int64.random(in: 0...10_000, using: &random) } + [1]
            let parts = Money(minorUnits: total, currency: .cny).split(weights: weights)
            #expect(parts.reduce(0) { $0 + $1.minorUnits } == total)
            #expect(parts.count == weights.count)
        }
    }

    static let shares: [(Int64, Int64, Int64)] = [(10_001, 200, 200), (10_025, 200, 201), (125, 1300, 16), (-125, 1300, -16), (0, 200, 0)]

    @Test(arguments: shares)
    func sharesRoundHalfAwayFromZero(amount: Int64, basisPoints: Int64, share: Int64) throws {
        #expect(try Money(minorUnits: amount, currency: .cny).share(basisPoints: basisPoints).minorUnits == share)
    }
}

/// Sums and products over amounts as large as 64 bits hold: exact, or `.overflow`, never a trap.
@Suite struct LargeSumTests {
    @Test func totalsAreExactWhateverTheOrderAndRefuseOnlyWhatDoesNotFit() throws {
        // Partial sums pass Int64 either way, the total does not.
        #expect(try Money.total([Int64.max, 1, -2]) == Int64.max - 1)
        #expect(try Money.total([Int64.min, -1, 1]) == Int64.min)
        #expect(throws: MoneyError.overflow) { try Money.total([Int64.max, 1]) }
        #expect(try Money.total([]) == 0)
    }

    @Test func scalingRoundsHalfAwayFromZeroIn128Bits() {
        #expect(Money.scaled(Int64.max, by: 900, over: 900) == Int64.max)
        #expect(Money.scaled(1_400, by: 900, over: 900) == 1_400)
        #expect(Money.scaled(5, by: 1, over: 2) == 3)
        #expect(Money.scaled(-5, by: 1, over: 2) == -3)
        #expect(Money.scaled(Int64.max, by: 2, over: 1) == nil)
        #expect(Money.scaled(1, by: 1, over: 0) == nil)
    }

    /// The aging of two items that pass 64 bits together: the report is refused (`.overflow`) at
    /// making, and no total of a report made can trap when read.
    @Test func anAgingWhoseTotalsDoNotFitIsRefusedNotTrapped() throws {
        let day = Day(year: 2026, month: 6, day: 30)!
        var one = AgingAccumulator(asOf: day, basis: .due, buckets: .standard, currency: .cny)
        try one.addOpen(customer: Customer.ID(1), issue: day, due: day, minorUnits: Int64.max)
        try one.addOpen(customer: Customer.ID(2), issue: day, due: day.advanced(by: -100), minorUnits: 1)
        #expect(throws: MoneyError.overflow) { try one.report(names: [:]) }
        var fits = AgingAccumulator(asOf: day, basis: .due, buckets: .standard, currency: .cny)
        try fits.addOpen(customer: Customer.ID(1), issue: day, due: day.advanced(by: -10), minorUnits: Int64.max - 5)
        try fits.addOpen(customer: Customer.ID(1), issue: day, due: day, minorUnits: 5)
        let report = try fits.report(names: [:])
        #expect(report.totalOpen.minorUnits == Int64.max && report.totalOverdue.minorUnits == Int64.max - 5)
        #expect(report.rows.first?.open.minorUnits == Int64.max && report.rows.first?.overdue.minorUnits == Int64.max - 5)
    }

    @Test func aLedgerWhoseRunningBalancePassesSixtyFourBitsIsRefused() {
        let day = Day(year: 2026, month: 6, day: 30)!
        let movements = [Int64.max, 1].enumerated().map { index, amount in
            CustomerLedger.Movement(day: day, sequence: Int64(index), kind: .invoice, document: "F\(index)", description: "",
                                    amount: Money(minorUnits: amount, currency: .cny))
        }
        #expect(throws: MoneyError.overflow) {
            try CustomerLedger(customer: Customer.Code("K1"), name: "", currency: .cny, from: nil, to: day, opening: .zero(.cny), movements: movements)
        }
    }

    /// Interest on the largest document over ten years at the highest rate: computed in 128 bits and
    /// never more than one document may carry.
    @Test func lateInterestIsExactAndCappedAtTheDocumentLimit() throws {
        let due = Day(year: 2016, month: 6, day: 30)!
        let terms = try LateFeeTerms(dailyRatePPM: 10_000, graceDays: 0)
        let history = [LateInterest.Stretch(from: due, open: Money.documentLimit(in: .cny))]
        let through = due.advanced(by: 3_650)
        #expect(try LateInterest.accrued(due: due, terms: terms, history: history, through: through, currency: .cny) == Money.documentLimit(in: .cny))
        let small = [LateInterest.Stretch(from: due, open: Money(minorUnits: 1_000_000, currency: .cny))]
        // 1,000,000 × 10 days × 1% = 100,000.
        #expect(try LateInterest.accrued(due: due, terms: terms, history: small, through: due.advanced(by: 10), currency: .cny)
                == Money(minorUnits: 100_000, currency: .cny))
    }
}
