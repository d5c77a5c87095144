import Testing
@testable import Receivables

@Suite struct DayTests {
    @Test(arguments: ["2026-06-30", "2026/6/30", "2026.6.30", "20260630", "2026年6月30日", "2026/06/30 0:00", " 2026-6-30 "])
    func parsesTheFormsExcelWrites(text: String) throws {
        #expect(try Day.parse(text) == Day(year: 2026, month: 6, day: 30))
    }

    @Test(arguments: ["", "2026-02-30", "2025-02-29", "2026-13-01", "26-06-30", "30/06/2026", "2026-6", "yesterday", "2026-06-31"])
    func rejectsDaysThatDoNotExist(text: String) {
        #expect(throws: DayParseError.self) { try Day.parse(text) }
    }

    @Test(arguments: ["3026-06-30", "0026-06-30", "1899-12-31", "2200-01-01", "30260630", "3026/6/30"])
    func daysOfYearsNoReceivableHasAreRefusedByTheirRule(text: String) {
        #expect(throws: DayParseError.yearOutOfRange(text)) { try Day.parse(text) }
    }

    @Test func theRefusalOfAnUnreadableDayNamesEveryFormTaken() throws {
        let error = DayParseError.notADay("30/06/2026")
        #expect(throws: error) { try Day.parse("30/06/2026") }
        for form in ["2026-06-30", "2026/6/30", "2026.6.30", "20260630", "2026年6月30日"] {
            #expect(error.description.contains(form))
            #expect(try Day.parse(form) == Day(year: 2026, month: 6, day: 30))
        }
        #expect(try Day.parse("1900-01-01").components.year == 1900)
        #expect(try Day.parse("2199-12-31").components.year == 2199)
    }

    @Test func leapDaysExistInLeapYears() throws {
        #expect(try Day.parse("2024-02-29").description == "2024-02-29")
        #expect(try Day.parse("2000-02-29").description == "2000-02-29")
        #expect(throws: DayParseError.self) { try Day.parse("1900-02-29") }
    }

    @Test func ordinalsCountFromTheEpoch() {
        #expect(Day(year: 1970, month: 1, day: 1)?.ordinal == 0)
        #expect(Day(year: 2000, month: 3, day: 1)?.ordinal == 11_017)
        #expect(Day(year: 1969, month: 12, day: 31)?.ordinal == -1)
    }

    @Test func everyDayRoundTripsThroughItsText() throws {
        var day = Day(year: 1999, month: 1, day: 1)!
        let end = Day(year: 2031, month: 1, day: 1)!
        var previous: Day?
        while day < end {
            #expect(try Day.parse(day.description) == day)
            if let previous { #expect(previous.distance(to: day) == 1) }
            previous = day
            day = day.advanced(by: 1)
        }
    }

    @Test func monthArithmeticClampsToTheMonthEnd() throws {
        #expect(try Day.parse("2026-01-31").addingMonths(1) == Day.parse("2026-02-28"))
        #expect(try Day.parse("2024-01-31").addingMonths(1) == Day.parse("2024-02-29"))
        #expect(try Day.parse("2026-11-30").addingMonths(3) == Day.parse("2027-02-28"))
        #expect(try Day.parse("2026-02-10").endOfMonth == Day.parse("2026-02-28"))
        #expect(try Day.parse("2028-02-10").endOfMonth == Day.parse("2028-02-29"))
    }
}
