import Testing
@testable import Receivables

@Suite struct PaymentTermsTests {
    func day(_ text: String) -> Day { (try? Day.parse(text)) ?? Day(ordinal: 0) }
    func cny(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .cny) }

    @Test func netDaysCountFromIssue() throws {
        let schedule = try PaymentTerms.parse("net 30").dueSchedule(issue: day("2026-01-31"), amount: cny(100))
        #expect(schedule == [ScheduledPart(due: day("2026-03-02"), amount: cny(100))])
    }

    @Test(arguments: [("2026-01-15", "eom 30", "2026-03-02"), ("2026-02-01", "月结30", "2026-03-30"),
                      ("2024-02-10", "eom 0", "2024-02-29"), ("2026-12-31", "月结", "2026-12-31")])
    func endOfMonthTermsCountFromTheMonthEnd(issue: String, terms: String, due: String) throws {
        let schedule = try PaymentTerms.parse(terms).dueSchedule(issue: day(issue), amount: cny(1))
        #expect(schedule.map(\.due) == [day(due)])
    }

    @Test func instalmentsSplitExactly() throws {
        let terms = try PaymentTerms.parse("30%@0,70%@60")
        let schedule = terms.dueSchedule(issue: day("2026-03-01"), amount: cny(10_001))
        #expect(schedule.map(\.amount) == [cny(3000), cny(7001)])
        #expect(schedule.map(\.due) == [day("2026-03-01"), day("2026-04-30")])
        let thirds = try PaymentTerms.parse("33.33%@0,33.33%@30,33.34%@60").dueSchedule(issue: day("2026-03-01"), amount: cny(100))
        #expect(thirds.reduce(0) { $0 + $1.amount.minorUnits } == 100)
    }

    @Test func aCashDiscountIsOfferedOnTheInvoice() throws {
        let terms = try PaymentTerms.parse("net 30; 2%/10")
        let offer = try terms.discountOffer(issue: day("2026-05-01"), amount: cny(10_001))
        #expect(offer == DiscountOffer(until: day("2026-05-11"), amount: cny(200), basisPoints: 200))
        #expect(try PaymentTerms.parse("net 30").discountOffer(issue: day("2026-05-01"), amount: cny(1)) == nil)
    }

    @Test(arguments: ["net 30", "eom 60", "30%@0,70%@60", "net 30; 2%/10", "12.5%@0,87.5%@90; 1.25%/7"])
    func textRoundTrips(text: String) throws {
        let terms = try PaymentTerms.parse(text)
        #expect(try PaymentTerms.parse(terms.description) == terms)
        #expect(terms.description == text)
    }

    @Test(arguments: [
        ("50%@0,40%@30", TermsRejection.instalmentsDoNotSumToWhole), ("70%@60,30%@0", .instalmentsOutOfOrder),
        ("net 99999", .daysOutOfRange(99_999)), ("net -1", .daysOutOfRange(-1)), ("0%@0,100%@30", .instalmentShareNotPositive),
        ("whenever", .unreadable("whenever")), ("net 30; 0%/10", .discountOutOfRange),
    ])
    func badTermsAreRefusedByName(text: String, rejection: TermsRejection) {
        #expect(throws: rejection) { try PaymentTerms.parse(text) }
    }
}
