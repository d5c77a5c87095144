import Bookkeeping
import BookSQL
import PostgresNIO

/// Whole tables in, for `arbook copy`: rows by COPY, and the identity columns set after them.
extension PostgresTransaction {
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
        try writeTableRows(table, rows)
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
