import Bookkeeping
import BookSQL
import GRDB
import GRDBSQLite

/// The SQL core's statements on one GRDB connection, through SQLite's C API: statements are prepared
/// once per connection and cached by GRDB, values bound straight to them (an import binds tens of
/// millions), and rows read from the statement as it steps.
struct SQLiteExecutor: SQLExecutor {
    let db: Database

    var dialect: SQLDialect { SQLDialect(engine: .sqlite, locksRows: false) }

    func query(_ sql: BookSQL.SQL, _ body: (SQLiteRow) throws -> Void) throws {
        try stream(sql, body)
    }

    func stream(_ sql: BookSQL.SQL, _ body: (SQLiteRow) throws -> Void) throws {
        let raw = try prepared(sql)
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure() }
            try body(SQLiteRow(statement: raw))
        }
    }

    @discardableResult
    func execute(_ sql: BookSQL.SQL) throws -> Int {
        let raw = try prepared(sql)
        defer { sqlite3_reset(raw) }
        var code = sqlite3_step(raw)
        while code == SQLITE_ROW { code = sqlite3_step(raw) }
        guard code == SQLITE_DONE else { throw failure() }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// The id from the connection, not `RETURNING`: SQLite runs a statement with `RETURNING` as if
    /// through a trigger, which doubled the cost of each row an import writes.
    func insertRow(_ sql: BookSQL.SQL) throws -> Int64? {
        let raw = try prepared(sql)
        defer { sqlite3_reset(raw) }
        guard sqlite3_step(raw) == SQLITE_DONE else { throw failure() }
        guard sqlite3_changes(db.sqliteConnection) > 0 else { return nil }
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    /// The cached statement for the text, reset and with the values bound.
    private func prepared(_ sql: BookSQL.SQL) throws -> OpaquePointer {
        let statement: Statement
        do { statement = try db.cachedStatement(sql: sql.text) } catch { throw SQLiteBook.storageError(error) }
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        for (offset, value) in sql.values.enumerated() {
            let code = value.bind(to: raw, at: Int32(offset + 1))
            guard code == SQLITE_OK else { throw failure() }
        }
        return raw
    }

    private func failure() -> StorageError {
        SQLiteBook.storageError(code: sqlite3_extended_errcode(db.sqliteConnection),
                                underlying: db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? "")
    }
}

private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension StoredValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let number): sqlite3_bind_int64(statement, index, number)
        case .text(let text): sqlite3_bind_text(statement, index, text, -1, transient)
        case .bytes(let bytes): bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }
}

/// The current row of a stepping statement, read through the C API.
struct SQLiteRow: SQLRow {
    let statement: OpaquePointer

    func integer(_ column: Int) throws -> Int64? {
        let index = Int32(column)
        switch sqlite3_column_type(statement, index) {
        case SQLITE_NULL: return nil
        case SQLITE_INTEGER: return sqlite3_column_int64(statement, index)
        default: throw mismatch(column, "an integer")
        }
    }

    func text(_ column: Int) throws -> String? {
        let index = Int32(column)
        guard sqlite3_column_type(statement, index) != SQLITE_NULL, let text = sqlite3_column_text(statement, index) else { return nil }
        return String(cString: text)
    }

    func bytes(_ column: Int) throws -> [UInt8]? {
        let index = Int32(column)
        guard sqlite3_column_type(statement, index) != SQLITE_NULL else { return nil }
        let count = Int(sqlite3_column_bytes(statement, index))
        guard count > 0, let base = sqlite3_column_blob(statement, index) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: base, count: count))
    }

    func stored(_ column: Int) throws -> StoredValue {
        switch sqlite3_column_type(statement, Int32(column)) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, Int32(column)))
        case SQLITE_BLOB: return .bytes(try bytes(column) ?? [])
        case SQLITE_TEXT: return .text(try text(column) ?? "")
        default: throw mismatch(column, "a value other than a real number")
        }
    }

    /// Read as SQLite reads it, without asking the cell's type first: the core reads this way only
    /// columns the schema declares INTEGER NOT NULL, millions of them in a report or `check`.
    func int64(_ column: Int) throws -> Int64 {
        sqlite3_column_int64(statement, Int32(column))
    }

    func text(_ column: Int, equals utf8: [UInt8]) throws -> Bool {
        let index = Int32(column)
        guard Int(sqlite3_column_bytes(statement, index)) == utf8.count, let text = sqlite3_column_text(statement, index) else { return false }
        for offset in 0..<utf8.count where text[offset] != utf8[offset] { return false }
        return true
    }

    private func mismatch(_ column: Int, _ expected: String) -> StorageError {
        let name = sqlite3_column_name(statement, Int32(column)).map { String(cString: $0) } ?? "column \(column)"
        return StorageError(code: .incompatible, message: "the book holds an unexpected value in \(name)", underlying: "expected \(expected)")
    }
}
