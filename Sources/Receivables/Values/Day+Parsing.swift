/// Why a text is not a day.
public enum DayParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notADay(String)
    /// A real day, but of a year no receivable is dated in (a typing error such as 3026 or 0026).
    case yearOutOfRange(String)

    public var description: String {
        switch self {
        case .empty: "day is empty"
        case .notADay(let text):
            "'\(text)' is not a day: write it as 2026-06-30 (YYYY-MM-DD); 2026/6/30, 2026.6.30, 20260630 and 2026年6月30日 are taken too"
        case .yearOutOfRange(let text):
            "'\(text)' is outside the years \(Day.yearsParsed.lowerBound) to \(Day.yearsParsed.upperBound)"
        }
    }
}

extension Day {
    /// The years a day typed or imported may fall in: any real receivable, none of the typing errors
    /// that put a day a thousand years off.
    public static let yearsParsed = 1900...2199

    /// Parses the forms Excel and people produce — "2026-06-30" (the form arbook writes), "2026/6/30",
    /// "2026.6.30", "20260630", "2026年6月30日" — optionally followed by a time ("2026/6/30 0:00")
    /// which is ignored. A date that does not exist (2026-02-30) is an error, never rolled over; so is
    /// a year outside `yearsParsed`. Errors name every accepted form.
    public static func parse(_ raw: String) throws(DayParseError) -> Day {
        if let day = parseISO(raw) {
            guard yearsParsed.contains(day.components.year) else { throw .yearOutOfRange(raw) }
            return day
        }
        var text = Substring(raw)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        guard !text.isEmpty else { throw .empty }
        if let space = text.firstIndex(of: " ") { text = text[..<space] }
        var numbers: [Int] = []
        var current = 0
        var digits = 0
        var groupLengths: [Int] = []
        for scalar in text.unicodeScalars {
            if (48...57).contains(scalar.value) {
                current = current * 10 + Int(scalar.value - 48)
                digits += 1
                guard digits <= 8 else { throw .notADay(raw) }
            } else if separators.contains(scalar) {
                guard digits > 0 else { throw .notADay(raw) }
                numbers.append(current)
                groupLengths.append(digits)
                current = 0
                digits = 0
            } else if scalar == "日" {
                continue
            } else {
                throw .notADay(raw)
            }
        }
        if digits > 0 {
            numbers.append(current)
            groupLengths.append(digits)
        }
        if numbers.count == 1, groupLengths[0] == 8 {
            let compact = numbers[0]
            numbers = [compact / 10_000, compact / 100 % 100, compact % 100]
            groupLengths = [4, 2, 2]
        }
        guard numbers.count == 3, groupLengths[0] == 4, groupLengths[1] <= 2, groupLengths[2] <= 2,
              let day = Day(year: numbers[0], month: numbers[1], day: numbers[2]) else {
            throw .notADay(raw)
        }
        guard yearsParsed.contains(numbers[0]) else { throw .yearOutOfRange(raw) }
        return day
    }
}

extension Day {
    private static let separators: Set<Unicode.Scalar> = ["-", "/", ".", "年", "月"]

    /// The common case, "YYYY-MM-DD", read straight from the bytes.
    private static func parseISO(_ raw: String) -> Day? {
        var raw = raw
        return raw.withUTF8 { bytes -> Day? in
            guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
            var digits = [Int](repeating: 0, count: 10)
            for index in [0, 1, 2, 3, 5, 6, 8, 9] {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                digits[index] = Int(byte - 0x30)
            }
            let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
            return Day(year: year, month: digits[5] * 10 + digits[6], day: digits[8] * 10 + digits[9])
        }
    }
}
