/// Writes CSV the way Excel reads it: fields quoted when they hold a delimiter, quote or line break,
/// CRLF line ends, and (by the caller's choice) a UTF-8 byte-order mark first.
///
/// No cell can run as a formula: a field that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return (OWASP's list for CSV injection) is written with a leading `'`, which makes a spreadsheet
/// show it as text — unless it is a plain decimal number such as `-12.30`, which a spreadsheet reads
/// as a number and never as a formula.
public enum CSVWriter {
    public static let byteOrderMark = "\u{FEFF}"

    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    public static func field(_ raw: String) -> String {
        let value = neutralised(raw)
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrencesOfQuote() + "\""
    }
}

extension CSVWriter {
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// The text with `'` in front when a spreadsheet would take it for a formula.
    public static func neutralised(_ value: String) -> String {
        guard let first = value.first, formulaStarts.contains(first), !isPlainNumber(value) else { return value }
        return "'" + value
    }

    /// `-12`, `-12.30`, `+5`: an optional sign, digits, at most one point with digits after it.
    static func isPlainNumber(_ value: String) -> Bool {
        var bytes = Substring(value).utf8.dropFirst(value.first == "-" || value.first == "+" ? 1 : 0)
        guard let head = bytes.first, head >= 0x30, head <= 0x39 else { return false }
        var seenPoint = false
        while let byte = bytes.popFirst() {
            if byte == 0x2E, !seenPoint, let next = bytes.first, next >= 0x30, next <= 0x39 { seenPoint = true; continue }
            guard byte >= 0x30, byte <= 0x39 else { return false }
        }
        return true
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
