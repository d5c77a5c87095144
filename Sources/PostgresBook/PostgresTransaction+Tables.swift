import Bookkeeping
import PostgresNIO

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

/// Whole tables in and out, for `arbook copy`.
extension PostgresTransaction {
    static func quoted(_ name: String) -> String { "\"\(name)\"" }

    func tableRows(_ table: BookTable, _ body: ([StoredValue]) throws -> Void) throws {
        let columns = table.columns.map(Self.quoted).joined(separator: ", ")
        let condition = table.condition.map { " WHERE \($0)" } ?? ""
        try session.each("""
            SELECT \(columns) FROM \(Self.quoted(table.name))\(condition) ORDER BY \(table.key.map(Self.quoted).joined(separator: ", "))
            """) { row in
            try body(try (0..<table.columns.count).map { try Self.storedValue(row.row[$0]) })
        }
    }

    static func storedValue(_ cell: PostgresCell) throws -> StoredValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try Int64(cell: cell))
        case .bytea: return .bytes(try [UInt8](cell: cell))
        default: return .text(try String(cell: cell))
        }
    }

    func insertTableRows(_ table: BookTable, _ rows: [[StoredValue]]) throws {
        guard table.updates else {
            return try session.copy(into: table.name, columns: table.columns, rows: rows)
        }
        let assignments = table.columns.dropFirst().enumerated().map { "\(Self.quoted($1)) = $\($0 + 2)" }.joined(separator: ", ")
        for row in rows {
            try session.query("UPDATE \(Self.quoted(table.name)) SET \(assignments) WHERE \(Self.quoted(table.columns[0])) = $1", row)
        }
    }

    func tableRowsCopied() throws {
        // Identity columns go on after the highest id copied.
        for table in BookTable.all where !table.updates && table.columns.first == "id" {
            try session.execute("""
                SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE((SELECT MAX(id) FROM \(Self.quoted(table.name))), 0) + 1, false)
                """, Self.quoted(table.name))
        }
    }
}
