import Bookkeeping
import BookSQL
import GRDB

/// Bookkeeping's storage protocols over one GRDB connection, inside the transaction GRDB opened: the
/// SQL core's reads and writes, and what only SQLite does (bulk loads drop indexes; jobs need no lock,
/// since one writer runs at a time).
struct SQLiteTransaction: SQLBookTransaction {
    let db: Database
    /// The book's settings, read once per open book: they change only through `saveSettings`.
    let settingsCache: SettingsCache

    init(_ db: Database, settings: SettingsCache = SettingsCache()) {
        self.db = db
        self.settingsCache = settings
    }

    var sql: SQLiteExecutor { SQLiteExecutor(db: db) }

    /// One INSERT per row here: SQLite gives a statement that writes several rows a statement journal
    /// inside a transaction, a temporary file written with every page the statement touches (a million
    /// invoices' lines wrote 2 GB to it), which costs far more than the statements saved.
    func storeRows(_ table: DocumentTable, _ rows: [[StoredValue]]) throws {
        for row in rows {
            if let statement = table.insertRows([row]) { try sql.execute(statement) }
        }
    }

    /// One writer at a time already: jobs cannot overlap.
    func lock(job: String) throws {}

    /// One writer at a time: each extends the chains as it writes, and no other is under way.
    var sealsChainsInline: Bool { true }
    func holdWritersForSealing() throws {}

    /// SQLite takes the next id from the rows themselves.
    func tableRowsCopied() throws {}
}
