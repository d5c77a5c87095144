import Bookkeeping
import BookSQL
import GRDB

/// Bulk loads into SQLite: secondary indexes that an import does not read are dropped at its start
/// and created again before it commits. Building an index once over sorted keys is far cheaper than
/// a million random insertions into it. Both happen inside the import's transaction, so a failed
/// import rolls the indexes back with everything else.
extension SQLiteTransaction {
    /// Below this many rows, or this share of the rows already in the table, indexes are kept: a
    /// small import into a large book would spend more rebuilding than it saves.
    static let bulkRowsMin = 50_000

    /// Whether a load of `rows` into a table of `existing` rows is worth rebuilding indexes for.
    static func defers(rows: Int, existing: Int64) -> Bool {
        rows >= bulkRowsMin && Int64(rows) * 4 >= existing
    }

    static func deferrable(_ kind: ImportKind, autoAllocate: Bool) -> (table: String, indexes: [String]) {
        switch kind {
        case .customers:
            return ("customer", [])
        case .invoices:
            return ("invoice", ["invoice_customer", "invoice_issue", "journal_entry_customer", "open_item_open"])
        case .receipts:
            // Auto-allocation reads a customer's open items through open_item_open.
            return ("credit", ["journal_entry_customer", "allocation_day", "allocation_item", "allocation_credit",
                               "credit_unapplied", "credit_note_invoice"] + (autoAllocate ? [] : ["open_item_open"]))
        }
    }

    func beginBulkLoad(_ kind: ImportKind, rows count: Int, autoAllocate: Bool) throws {
        let (table, names) = Self.deferrable(kind, autoAllocate: autoAllocate)
        guard !names.isEmpty, count >= Self.bulkRowsMin else { return }
        let existing: Int64 = try sql.value("SELECT COALESCE(MAX(id), 0) FROM \(raw: table)") ?? 0
        guard Self.defers(rows: count, existing: existing) else { return }
        let quoted = names.map { "'\($0)'" }.joined(separator: ", ")
        let definitions = try sql.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (\(raw: quoted))") {
            (name: try $0[0] as String, sql: try $0[1] as String)
        }
        for definition in definitions { try ddl("DROP INDEX \(definition.name)") }
        try ddl("CREATE TEMP TABLE IF NOT EXISTS deferred_index (sql TEXT NOT NULL)")
        for definition in definitions { try sql.execute("INSERT INTO temp.deferred_index (sql) VALUES (\(definition.sql))") }
    }

    func endBulkLoad() throws {
        let exists: Int64 = try sql.value("SELECT count(*) FROM temp.sqlite_master WHERE name = 'deferred_index'") ?? 0
        guard exists > 0 else { return }
        for definition in try sql.rows("SELECT sql FROM temp.deferred_index", { try $0[0] as String }) {
            try ddl(definition)
        }
        try sql.execute("DELETE FROM temp.deferred_index")
    }

    private func ddl(_ sql: String) throws {
        do { try db.execute(sql: sql) } catch { throw SQLiteBook.storageError(error) }
    }
}
