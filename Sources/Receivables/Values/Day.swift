/// A civil date: a day in the calendar with no time zone and no time of day.
///
/// Stored as the number of days since 1970-01-01, so comparing and subtracting days is integer
/// arithmetic and the same value goes into every database. Issue, due, receipt and as-of days are
/// all `Day`s; timestamps exist only in the audit trail.
public struct Day: Hashable, Sendable, Comparable, CustomStringConvertible, Strideable {
    public let ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// The day for a proleptic Gregorian year, month and day; nil when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.ordinal = Int32(Day.ordinalFrom(year: year, month: month, day: day))
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }
    /// 9999-12-31, the last day a book can name: "as things stand", for reads that take a day.
    public static let last = Day(year: 9999, month: 12, day: 31)!
    public func distance(to other: Day) -> Int { Int(other.ordinal) - Int(ordinal) }
    public func advanced(by days: Int) -> Day { Day(ordinal: ordinal + Int32(days)) }

    public var components: (year: Int, month: Int, day: Int) { Day.civil(from: Int(ordinal)) }
    public var year: Int { components.year }
    public var month: Int { components.month }

    /// The last day of this day's month.
    public var endOfMonth: Day {
        let (y, m, _) = components
        return Day(ordinal: Int32(Day.ordinalFrom(year: y, month: m, day: Day.daysIn(month: m, year: y))))
    }

    /// The same day of the month `months` later, clamped to that month's length (31 Jan + 1 month = 28/29 Feb).
    public func addingMonths(_ months: Int) -> Day {
        let (y, m, d) = components
        let index = y * 12 + (m - 1) + months
        let year = index / 12
        let month = index % 12 + 1
        let day = Swift.min(d, Day.daysIn(month: month, year: year))
        return Day(ordinal: Int32(Day.ordinalFrom(year: year, month: month, day: day)))
    }

    /// ISO 8601: "2026-06-30".
    public var description: String {
        let (y, m, d) = components
        return Day.pad(y, 4) + "-" + Day.pad(m, 2) + "-" + Day.pad(d, 2)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: Swift.max(0, width - text.count)) + text
    }

    // Days from civil and back: the era-based algorithm for the proleptic Gregorian calendar.
    private static func ordinalFrom(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(from ordinal: Int) -> (Int, Int, Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
