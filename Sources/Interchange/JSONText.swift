import Receivables

/// A JSON value written with its keys in the order given, so that output matches documented shapes
/// line for line. Amounts go in as exact decimal strings, never as numbers.
public indirect enum JSONText: Sendable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case array([JSONText])
    case object([(String, JSONText)])

    public func render() -> String {
        var output = ""
        write(into: &output)
        return output
    }

    private func write(into output: inout String) {
        switch self {
        case .string(let text): Self.quote(text, into: &output)
        case .int(let value): output += String(value)
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += ", " }
                value.write(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += ", " }
                Self.quote(key, into: &output)
                output += ": "
                value.write(into: &output)
            }
            output += "}"
        }
    }

    /// Appends `text` as a JSON string. Most texts need no escape: they are appended whole.
    static func quote(_ text: String, into output: inout String) {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            output += "\""
            output += text
            output += "\""
            return
        }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        output += result + "\""
    }
}

extension JSONText {
    /// A row id of the book as a JSON number.
    public static func id<Subject>(_ id: Identifier<Subject>) -> JSONText { .int(id.rawValue) }
}
