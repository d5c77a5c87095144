import Bookkeeping
import BookSQL
import PostgresNIO

/// The SQL core's statements on one PostgreSQL connection inside its transaction: the core's `?`
/// placeholders become `$1, $2, …`, values are bound with their types, and large results are read
/// through a cursor.
struct PostgresExecutor: SQLExecutor {
    let session: PostgresSession
    /// Whether this is a write's transaction, whose reads lock what they return.
    let writing: Bool

    var dialect: SQLDialect { SQLDialect(engine: .postgres, locksRows: writing) }

    func query(_ sql: SQL, _ body: (PostgresRowReader) throws -> Void) throws {
        for row in try session.query(Self.numbered(sql.text), sql.bindings).rows { try body(PostgresRowReader(row)) }
    }

    func stream(_ sql: SQL, _ body: (PostgresRowReader) throws -> Void) throws {
        try session.each(Self.numbered(sql.text), sql.bindings, body)
    }

    @discardableResult
    func execute(_ sql: SQL) throws -> Int {
        try session.query(Self.numbered(sql.text), sql.bindings).changed
    }

    /// The text with each `?` numbered in turn. The core writes no `?` but its placeholders (no string
    /// literal of its holds one).
    static func numbered(_ text: String) -> String {
        guard text.contains("?") else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        var number = 0
        for character in text {
            if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension StoredValue: PostgresValue {
    func bind(to bindings: inout PostgresBindings) {
        switch self {
        case .null: bindings.appendNull()
        case .integer(let number): bindings.append(number)
        case .text(let text): bindings.append(text)
        case .bytes(let bytes): bindings.append(ByteBuffer(bytes: bytes))
        }
    }
}

extension SQL {
    var bindings: [any PostgresValue] { values.map { $0 as any PostgresValue } }
}

extension PostgresRowReader: SQLRow {
    func integer(_ column: Int) throws -> Int64? {
        let cell = row[column]
        guard cell.bytes != nil else { return nil }
        if cell.dataType == .bool { return try Bool(cell: cell) ? 1 : 0 }
        return try Int64(cell: cell)
    }

    func text(_ column: Int) throws -> String? {
        try String?(cell: row[column])
    }

    func bytes(_ column: Int) throws -> [UInt8]? {
        try [UInt8]?(cell: row[column])
    }

    func stored(_ column: Int) throws -> StoredValue {
        try PostgresTransaction.storedValue(row[column])
    }
}
