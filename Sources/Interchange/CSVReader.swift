/// One record of a CSV file: its fields and the line it starts on (1-based, counting the header).
public struct CSVRecord: Sendable {
    public let line: Int
    public let fields: [String]
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// Why a CSV file could not be parsed; names the line.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    public let line: Int
    public let reason: String
    public var description: String { "line \(line): \(reason)" }
}

/// Streams the records of a CSV or tab-separated file, whatever its encoding, a chunk at a time.
///
/// RFC 4180 quoting ("" inside quotes is a quote; quoted fields may hold delimiters and line
/// breaks), CRLF or LF line ends, and the delimiter (comma, tab or semicolon) taken from the header
/// line. Rows whose fields are all empty (Excel leaves them) are skipped.
public final class CSVReader {
    public static let fieldBytesMax = 10_000
    public static let fieldsMax = 200

    private let reader: ChunkReader
    private let transcoder: Transcoder?
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")

    public init(path: String, facts: FileFacts) throws {
        reader = try ChunkReader(path: path)
        transcoder = facts.encoding == .utf8 ? nil : try Transcoder(from: facts.encoding)
        try refill()
        if facts.bomLength > 0, facts.encoding == .utf8 { position = min(facts.bomLength, buffer.count) }
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 } // a BOM left by UTF-16 → UTF-8
        delimiter = Self.guessDelimiter(buffer[position...])
    }

    private func refill() throws {
        guard !atEnd else { return }
        if let chunk = try reader.next() {
            let text = try transcoder?.convert(chunk, final: false) ?? chunk
            buffer = Array(buffer[position...]) + text
        } else {
            atEnd = true
            let rest = try transcoder?.convert([], final: true) ?? []
            buffer = Array(buffer[position...]) + rest
        }
        position = 0
    }

    /// The delimiter that occurs most often outside quotes in the first line.
    static func guessDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: "\t"): 0, UInt8(ascii: ";"): 0]
        var quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, byte == UInt8(ascii: "\n") { break }
            if !quoted, counts[byte] != nil { counts[byte]! += 1 }
        }
        let best = counts.max { ($0.value, $0.key == UInt8(ascii: ",") ? 1 : 0) < ($1.value, $1.key == UInt8(ascii: ",") ? 1 : 0) }
        return (best?.value ?? 0) > 0 ? best!.key : UInt8(ascii: ",")
    }

    /// The next non-empty record, or nil at the end of the file.
    public func next() throws -> CSVRecord? {
        while true {
            guard let record = try nextRecord() else { return nil }
            if record.fields.contains(where: { !$0.isEmpty }) { return record }
        }
    }

    private func nextRecord() throws -> CSVRecord? {
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        if position >= buffer.count { try refill() }
        if position >= buffer.count && atEnd { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var quoted = false
        var fieldStarted = false
        while true {
            if position >= buffer.count {
                try refill()
                if position >= buffer.count {
                    guard !quoted else { throw CSVError(line: startLine, reason: "a quoted field is never closed") }
                    fields.append(String(decoding: field, as: UTF8.self))
                    return CSVRecord(line: startLine, fields: fields)
                }
            }
            let byte = buffer[position]
            position += 1
            if quoted {
                if byte == quote {
                    if position >= buffer.count { try refill() }
                    if position < buffer.count, buffer[position] == quote {
                        field.append(quote)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
            } else if byte == delimiter {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldStarted = false
                guard fields.count < Self.fieldsMax else {
                    throw CSVError(line: startLine, reason: "more than \(Self.fieldsMax) columns")
                }
                continue
            } else if byte == newline {
                line += 1
                if field.last == cr { field.removeLast() }
                fields.append(String(decoding: field, as: UTF8.self))
                return CSVRecord(line: startLine, fields: fields)
            } else if byte == quote, !fieldStarted {
                quoted = true
            } else {
                field.append(byte)
            }
            fieldStarted = true
            guard field.count <= Self.fieldBytesMax else {
                throw CSVError(line: startLine, reason: "a field is longer than \(Self.fieldBytesMax) bytes")
            }
        }
    }
}
