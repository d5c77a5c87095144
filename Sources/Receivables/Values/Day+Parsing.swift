/// Why a text is not a day.
public enum DayParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notADay(String)

    public var description: String {
        switch self {
        case .empty: "day is empty"
        case .notADay(let text): "'\(text)' is not a day (expected YYYY-MM-DD)"
        }
    }
}

extension Day {
    /// Parses the forms Excel and people produce: "2026-06-30", "2026/6/30", "2026.6.30",
    /// "20260630", "2026年6月30日", optionally followed by a time ("2026/6/30 0:00") which is ignored.
    /// A date that does not exist (2026-02-30) is an error, never rolled over.
    public static func parse(_ raw: String) throws(DayParseError) -> Day {
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
            } else if ["-", "/", ".", "年", "月"].contains(scalar) {
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
        return day
    }
}
