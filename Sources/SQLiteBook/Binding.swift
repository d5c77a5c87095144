import Bookkeeping
import GRDB
import GRDBSQLite

/// A value bound straight to a prepared statement through the SQLite C API.
///
/// Writes take this path instead of GRDB's `StatementArguments`: an import binds tens of millions
/// of values, and building an argument array of `DatabaseValue`s for each row cost more than the
/// insert itself. Statements are still prepared and cached by GRDB.
protocol SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
}

private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension Int64: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
}

extension Int32: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension Int: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension String: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_text(statement, index, self, -1, transient)
    }
}

extension Optional: SQLiteValue where Wrapped: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .some(let value): value.bind(to: statement, at: index)
        case .none: sqlite3_bind_null(statement, index)
        }
    }
}

extension SQLiteTransaction {
    /// Runs a cached statement with `values` bound in order, to completion.
    func run(_ sql: String, _ values: any SQLiteValue...) throws {
        try step(sql, values)
    }


    /// Runs a cached statement with an array of values bound in order.
    func runValues(_ sql: String, _ values: [any SQLiteValue]) throws {
        try step(sql, values)
    }

    /// Runs an INSERT with `values` and returns the new row's id.
    func insertRow(_ sql: String, _ values: any SQLiteValue...) throws -> Int64 {
        try step(sql, values)
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    private func step(_ sql: String, _ values: [any SQLiteValue]) throws {
        let statement: Statement
        do { statement = try db.cachedStatement(sql: sql) } catch { throw SQLiteBook.storageError(error) }
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        for (offset, value) in values.enumerated() {
            let code = value.bind(to: raw, at: Int32(offset + 1))
            guard code == SQLITE_OK else { throw failure(code) }
        }
        let code = sqlite3_step(raw)
        let extended = sqlite3_extended_errcode(db.sqliteConnection)
        sqlite3_reset(raw)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw failure(extended) }
    }

    private func failure(_ code: Int32) -> StorageError {
        SQLiteBook.storageError(code: code, underlying: db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? "")
    }
}
