import Bookkeeping
import Foundation
import GRDB
import GRDBSQLite

extension StoredValue: SQLiteValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let number): number.bind(to: statement, at: index)
        case .text(let text): text.bind(to: statement, at: index)
        case .bytes(let bytes): bytes.withUnsafeBytes {
            sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self))
        }
        }
    }
}

/// Whole tables in and out, for `arbook copy`.
extension SQLiteTransaction {
    static func quoted(_ name: String) -> String { "\"\(name)\"" }

    func tableRows(_ table: BookTable, _ body: ([StoredValue]) throws -> Void) throws {
        let columns = table.columns.map(Self.quoted).joined(separator: ", ")
        let condition = table.condition.map { " WHERE \($0)" } ?? ""
        try each("SELECT \(columns) FROM \(Self.quoted(table.name))\(condition) ORDER BY \(table.key.map(Self.quoted).joined(separator: ", "))") { row in
            try body(try (0..<table.columns.count).map { index in
                switch (row[index] as DatabaseValue).storage {
                case .null: return .null
                case .int64(let number): return .integer(number)
                case .string(let text): return .text(text)
                case .blob(let data): return .bytes([UInt8](data))
                case .double: throw StorageError(code: .incompatible, message: "\(table.name).\(table.columns[index]) holds a real number")
                }
            })
        }
    }

    func insertTableRows(_ table: BookTable, _ rows: [[StoredValue]]) throws {
        let sql: String
        if table.updates {
            let assignments = table.columns.dropFirst().map { "\(Self.quoted($0)) = ?" }.joined(separator: ", ")
            sql = "UPDATE \(Self.quoted(table.name)) SET \(assignments) WHERE \(Self.quoted(table.columns[0])) = ?"
        } else {
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
            sql = "INSERT INTO \(Self.quoted(table.name)) (\(table.columns.map(Self.quoted).joined(separator: ", "))) VALUES (\(marks))"
        }
        for row in rows {
            try runValues(sql, table.updates ? Array(row.dropFirst()) + [row[0]] : row)
        }
    }

    /// SQLite takes the next id from the rows themselves.
    func tableRowsCopied() throws {}
}
