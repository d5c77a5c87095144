import Bookkeeping
import PropertyBased
import Receivables
import TestBooks
import Testing

/// Invariants over random histories: the book ties out after any of them, and aging as of a day
/// is the aging of a book that holds only what is dated on or before that day.
@Suite struct PropertyTests {
    static let steps = Gen.int(in: 0...9_999_999).array(of: 1...70)

    @Test(arguments: Engine.allCases)
    func everyRandomHistoryTiesOut(engine: Engine) async {
        await propertyCheck(count: 40, input: Self.steps) { steps in
            let book = try TestBook(engine)
            try await RandomHistory(steps: steps).replay(into: book)
            let report = try await BookCheck(storage: book.storage, caller: book.caller).run()
            #expect(report.findings == [])
        }
    }

    @Test(arguments: Engine.allCases)
    func agingAsOfADayEqualsTheAgingOfTheBookUpToThatDay(engine: Engine) async {
        await propertyCheck(count: 40, input: Self.steps, Gen.int(in: 0...100)) { steps, cut in
            let history = RandomHistory(steps: steps)
            let asOf = RandomHistory.start.advanced(by: cut * max(1, RandomHistory.start.distance(to: history.days.last!)) / 100)
            let full = try TestBook(engine)
            try await history.replay(into: full)
            let truncated = try TestBook(engine)
            try await history.replay(into: truncated, until: asOf)
            for basis in AgingBasis.allCases {
                let expected = try await truncated.reports.aging(.init(asOf: asOf, basis: basis))
                let actual = try await full.reports.aging(.init(asOf: asOf, basis: basis))
                #expect(actual == expected, "as of \(asOf) by \(basis)")
            }
            let ledgerFull = try await full.reports.ledger(customer: Customer.Code("K1"), from: nil, to: asOf)
            let ledgerTruncated = try await truncated.reports.ledger(customer: Customer.Code("K1"), from: nil, to: asOf)
            #expect(ledgerFull.closing == ledgerTruncated.closing)
            // A ledger from a day opens on the balance the whole ledger had before that day (receipts,
            // reversals and allocations after `asOf` included in the book).
            let from = asOf.advanced(by: -10)
            let period = try await full.reports.ledger(customer: Customer.Code("K1"), from: from, to: asOf)
            let before = ledgerFull.lines.last { $0.day < from }?.balance ?? .zero(.cny)
            #expect(period.opening == before, "opening on \(from)")
            #expect(period.closing == ledgerFull.closing)
            #expect(period.lines.count == ledgerFull.lines.filter { $0.day >= from }.count)
        }
    }
}

@Suite struct DrillDownTests {
    @Test func everyAgingCellIsTheSumOfTheItemsBehindIt() async {
        await propertyCheck(count: 15, input: PropertyTests.steps, Gen.int(in: 0...100)) { steps, cut in
            let history = RandomHistory(steps: steps)
            let asOf = RandomHistory.start.advanced(by: cut * max(1, RandomHistory.start.distance(to: history.days.last!)) / 100)
            let book = try TestBook()
            try await history.replay(into: book)
            for basis in AgingBasis.allCases {
                let options = Reports.AgingOptions(asOf: asOf, basis: basis)
                let report = try await book.reports.aging(options)
                for row in report.rows {
                    for (bucket, amount) in row.buckets.enumerated() {
                        let cell = try await book.reports.agingCell(customer: row.code, options: options, bucket: bucket)
                        #expect(cell.items.reduce(0) { $0 + $1.item.open.minorUnits } == amount.minorUnits, "\(row.code) bucket \(bucket) \(basis)")
                    }
                }
            }
        }
    }
}
