/// Writes CSV the way Excel reads it: fields quoted when they hold a delimiter, quote or line break,
/// CRLF line ends, and (by the caller's choice) a UTF-8 byte-order mark first.
public enum CSVWriter {
    public static let byteOrderMark = "\u{FEFF}"

    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    public static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrencesOfQuote() + "\""
    }
}

extension String {
    fileprivate func replacingOccurrencesOfQuote() -> String {
        var result = ""
        for character in self {
            if character == "\"" { result += "\"\"" } else { result.append(character) }
        }
        return result
    }
}
