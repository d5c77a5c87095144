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
        for row in try session.prepared(Self.numbered(sql), sql.values) { try body(PostgresRowReader(row, prepared: true)) }
    }

    func stream(_ sql: SQL, _ body: (PostgresRowReader) throws -> Void) throws {
        try session.each(Self.numbered(sql), sql.bindings, body)
    }

    /// A change is run prepared too, and counted by the rows its `RETURNING 1` gives back: the result
    /// of a prepared statement does not carry the count.
    @discardableResult
    func execute(_ sql: SQL) throws -> Int {
        let text = Self.numbered(sql)
        let verb = text.prefix(while: { !$0.isWhitespace }).uppercased()
        guard ["INSERT", "UPDATE", "DELETE"].contains(verb), !text.contains("RETURNING") else {
            return try session.query(text, sql.bindings).changed
        }
        return try session.prepared(text + " RETURNING 1", sql.values).count
    }

    /// PostgreSQL gives the new id back with the row.
    func insertRow(_ sql: SQL) throws -> Int64? {
        guard let row = try session.prepared(Self.numbered(sql) + " RETURNING id", sql.values).first else { return nil }
        return try PostgresRowReader(row, prepared: true)[0]
    }

    /// The text with each `?` numbered in turn and cast to the type of the value bound to it, so that a
    /// statement PostgreSQL prepares once takes the same types every time. The core writes no `?` but
    /// its placeholders (no string literal of its holds one).
    static func numbered(_ sql: SQL) -> String {
        let text = sql.text
        guard text.contains("?") else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + sql.values.count * 8)
        var number = 0
        for character in text {
            if character == "?", number < sql.values.count {
                result += "$\(number + 1)\(sql.values[number].postgresCast)"
                number += 1
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
        let cell = cell(column)
        guard cell.bytes != nil else { return nil }
        if cell.dataType == .bool { return try Bool(cell: cell) ? 1 : 0 }
        return try Int64(cell: cell)
    }

    func text(_ column: Int) throws -> String? {
        try String?(cell: cell(column))
    }

    func bytes(_ column: Int) throws -> [UInt8]? {
        try [UInt8]?(cell: cell(column))
    }

    func stored(_ column: Int) throws -> StoredValue {
        try PostgresTransaction.storedValue(cell(column))
    }
}
