import Testing
@testable import Receivables

@Suite struct AgingTests {
    @Test(arguments: [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (10_000, 4)])
    func everyBorderFallsInTheRightBucket(days: Int, bucket: Int) {
        #expect(AgingBuckets.standard.index(forDays: days) == bucket)
    }

    @Test func labelsFollowTheBorders() throws {
        #expect(AgingBuckets.standard.labels == ["current", "1-30", "31-60", "61-90", "91+"])
        #expect(try AgingBuckets.parse("15, 45,180,365").labels == ["current", "1-15", "16-45", "46-180", "181-365", "366+"])
        #expect(try AgingBuckets.parse("1").labels == ["current", "1-1", "2+"])
    }

    @Test(arguments: [("30,30", AgingRejection.bordersNotIncreasing), ("60,30", .bordersNotIncreasing), ("0,30", .borderNotPositive),
                      ("", .bucketCount), ("a,b", .unreadable("a,b"))])
    func badBordersAreRefused(text: String, rejection: AgingRejection) {
        #expect(throws: rejection) { try AgingBuckets.parse(text) }
    }

    @Test func reportSumsPiecesAndNetsUnappliedCredits() throws {
        let asOf = Day(ordinal: 1000)
        var accumulator = AgingAccumulator(asOf: asOf, basis: .due, buckets: .standard, currency: .cny)
        let a = Customer.ID(1), b = Customer.ID(2), c = Customer.ID(3)
        try accumulator.addOpen(customer: a, issue: Day(ordinal: 900), due: Day(ordinal: 990), minorUnits: 100)
        try accumulator.addOpen(customer: a, issue: Day(ordinal: 900), due: Day(ordinal: 990), minorUnits: 50)
        try accumulator.addOpen(customer: a, issue: Day(ordinal: 800), due: Day(ordinal: 850), minorUnits: 7)
        try accumulator.addUnapplied(customer: a, minorUnits: 20)
        try accumulator.addUnapplied(customer: b, minorUnits: 30)
        try accumulator.addOpen(customer: c, issue: Day(ordinal: 900), due: Day(ordinal: 990), minorUnits: 0)
        let report = try accumulator.report(names: [a: (Customer.Code("A"), "a"), b: (Customer.Code("B"), "b")])
        #expect(report.rows.map(\.code.rawValue) == ["A", "B"])
        #expect(report.rows[0].buckets.map(\.minorUnits) == [0, 150, 0, 0, 7])
        #expect(report.rows[0].balance == Money(minorUnits: 137, currency: .cny))
        #expect(report.rows[1].balance == Money(minorUnits: -30, currency: .cny))
        #expect(report.totalBuckets.map(\.minorUnits) == [0, 150, 0, 0, 7])
        #expect(report.totalUnapplied == Money(minorUnits: 50, currency: .cny))
        #expect(report.totalBalance == Money(minorUnits: 107, currency: .cny))
    }

    @Test func customersWithAnyIDAreKeptApart() throws {
        var accumulator = AgingAccumulator(asOf: Day(ordinal: 1000), basis: .due, buckets: .standard, currency: .cny)
        let ids = [Customer.ID(5), Customer.ID(1 << 40), Customer.ID(0), Customer.ID(-3), Customer.ID(70_000)]
        for (index, id) in ids.enumerated() {
            try accumulator.addOpen(customer: id, issue: Day(ordinal: 900), due: Day(ordinal: 995), minorUnits: Int64(index + 1))
            try accumulator.addUnapplied(customer: id, minorUnits: Int64(10 * (index + 1)))
        }
        try accumulator.addOpen(customer: Customer.ID(1 << 40), issue: Day(ordinal: 900), due: Day(ordinal: 900), minorUnits: 100)
        let names = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, (Customer.Code("K\($0)"), "")) })
        let report = try accumulator.report(names: names)
        #expect(report.rows.map(\.code.rawValue) == ["K0", "K1", "K2", "K3", "K4"])
        #expect(report.rows.map { $0.buckets.map(\.minorUnits) } == [[0, 1, 0, 0, 0], [0, 2, 0, 0, 100], [0, 3, 0, 0, 0], [0, 4, 0, 0, 0], [0, 5, 0, 0, 0]])
        #expect(report.rows.map(\.unapplied.minorUnits) == [10, 20, 30, 40, 50])
        #expect(report.totalBalance.minorUnits == 115 - 150)
    }

    @Test func issueBasisAgesFromTheInvoiceDay() throws {
        var accumulator = AgingAccumulator(asOf: Day(ordinal: 1000), basis: .invoice, buckets: .standard, currency: .cny)
        try accumulator.addOpen(customer: Customer.ID(1), issue: Day(ordinal: 940), due: Day(ordinal: 1010), minorUnits: 5)
        let report = try accumulator.report(names: [:])
        #expect(report.rows[0].buckets.map(\.minorUnits) == [0, 0, 5, 0, 0])
    }
}

@Suite struct PostingTests {
    let posting = Posting(chart: Chart())
    func cny(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .cny) }

    @Test func anInvoiceWithVATCreditsRevenueAndTax() throws {
        let lines = [try InvoiceLine(description: "goods", net: cny(10_000), vatBasisPoints: 1300)]
        let invoice = try Invoice(number: DocumentNumber("F1"), customer: Customer.Code("K1"), issue: Day(ordinal: 1),
                                  amount: cny(11_300), terms: .net(30), lines: lines)
        let entry = posting.invoice(invoice, customer: Customer.ID(1))
        #expect(entry.lines.map(\.account.code) == ["1122", "6001", "2221"])
        #expect(entry.lines.map(\.amount.minorUnits) == [11_300, -10_000, -1_300])
    }

    @Test func linesThatDoNotAddUpAreRefused() throws {
        let lines = [try InvoiceLine(description: "goods", net: cny(10_000), vatBasisPoints: 1300)]
        #expect(throws: DocumentRejection.linesDoNotMatchAmount) {
            try Invoice(number: DocumentNumber("F1"), customer: Customer.Code("K1"), issue: Day(ordinal: 1), amount: cny(11_000),
                        terms: .net(30), lines: lines)
        }
    }

    @Test func aReceiptSplitsBetweenReceivablesAndAdvances() throws {
        let receipt = try Receipt(reference: DocumentNumber("R1"), customer: Customer.Code("K1"), day: Day(ordinal: 5),
                                  amount: cny(1000), method: .acceptanceBill)
        let entry = posting.receipt(receipt, customer: Customer.ID(1), applied: cny(600))
        #expect(entry.lines.map(\.account.code) == ["1121", "1122", "2203"])
        #expect(entry.lines.map(\.amount.minorUnits) == [1000, -600, -400])
    }

    @Test func aCreditNoteReversesRevenueAndVATInProportion() throws {
        let lines = [try InvoiceLine(description: "goods", net: cny(10_000), vatBasisPoints: 1300)]
        let invoice = try Invoice(number: DocumentNumber("F1"), customer: Customer.Code("K1"), issue: Day(ordinal: 1),
                                  amount: cny(11_300), terms: .net(30), lines: lines)
        let note = try CreditNote(number: DocumentNumber("C1"), invoice: invoice.number, day: Day(ordinal: 3), amount: cny(1130), reason: "return")
        let entry = posting.creditNote(note, of: invoice, customer: Customer.ID(1), applied: cny(1130))
        #expect(entry.lines.map(\.amount.minorUnits) == [1000, 130, -1130])
    }

    @Test(arguments: ["现金", "微信", "支付宝", "银行承兑汇票", "bank transfer", "cheque", "CARD"])
    func paymentMethodsAreReadInBothLanguages(text: String) {
        #expect(PaymentMethod(text: text) != nil)
    }

    @Test func unknownPaymentMethodsAreNotGuessed() {
        #expect(PaymentMethod(text: "bitcoin") == nil)
    }
}

@Suite struct OverdueRuleTests {
    @Test(arguments: [(-1, "1.00", true), (0, "1.00", false), (5, "1.00", false), (-30, "0.00", false)])
    func anItemIsOverdueOnceItsDueDayHasPassedWithSomethingOpen(dueIn days: Int, open: String, overdue: Bool) throws {
        let asOf = Day(year: 2026, month: 6, day: 30)!
        #expect(Overdue.isOverdue(due: asOf.advanced(by: days), open: try Money.parse(open, currency: .cny), asOf: asOf) == overdue)
    }

    @Test func aReportsOverdueIsEveryBucketAfterCurrent() throws {
        var accumulator = AgingAccumulator(asOf: Day(ordinal: 1000), basis: .due, buckets: .standard, currency: .cny)
        let a = Customer.ID(1)
        try accumulator.addOpen(customer: a, issue: Day(ordinal: 900), due: Day(ordinal: 1010), minorUnits: 300)
        try accumulator.addOpen(customer: a, issue: Day(ordinal: 900), due: Day(ordinal: 960), minorUnits: 200)
        let report = try accumulator.report(names: [a: (Customer.Code("K1"), "k")])
        #expect(report.rows.first?.open == Money(minorUnits: 500, currency: .cny))
        #expect(report.rows.first?.overdue == Money(minorUnits: 200, currency: .cny))
        #expect(report.totalOverdue == Money(minorUnits: 200, currency: .cny))
    }
}
