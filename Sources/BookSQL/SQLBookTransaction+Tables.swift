import Bookkeeping

/// Whole tables in and out, for `arbook copy`.
extension SQLBookTransaction {
    public static func quoted(_ name: String) -> String { "\"\(name)\"" }

    public func tableRows(_ table: BookTable, _ body: ([StoredValue]) throws -> Void) throws {
        let columns = table.columns.map(Self.quoted).joined(separator: ", ")
        let condition = table.condition.map { " WHERE \($0)" } ?? ""
        let order = table.key.map(Self.quoted).joined(separator: ", ")
        try sql.stream("SELECT \(raw: columns) FROM \(raw: Self.quoted(table.name))\(raw: condition) ORDER BY \(raw: order)") { row in
            try body(try (0..<table.columns.count).map { try row.stored($0) })
        }
    }

    public func insertTableRows(_ table: BookTable, _ rows: [[StoredValue]]) throws {
        try writeTableRows(table, rows)
    }

    /// Inserts (or, for an `updates` table, applies) rows a statement each.
    public func writeTableRows(_ table: BookTable, _ rows: [[StoredValue]]) throws {
        let text: String
        if table.updates {
            let assignments = table.columns.dropFirst().map { "\(Self.quoted($0)) = ?" }.joined(separator: ", ")
            text = "UPDATE \(Self.quoted(table.name)) SET \(assignments) WHERE \(Self.quoted(table.columns[0])) = ?"
        } else {
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
            text = "INSERT INTO \(Self.quoted(table.name)) (\(table.columns.map(Self.quoted).joined(separator: ", "))) VALUES (\(marks))"
        }
        for row in rows {
            try sql.execute(SQL(text: text, values: table.updates ? Array(row.dropFirst()) + [row[0]] : row))
        }
    }
}
