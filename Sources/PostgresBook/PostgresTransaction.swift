import Bookkeeping
import BookSQL
import Foundation
import Receivables

/// Bookkeeping's storage protocols over one PostgreSQL connection, inside the transaction the engine
/// opened: the SQL core's reads and writes (in a write, reads of open items and credits lock what they
/// return), and what only PostgreSQL does — job locks across servers, and imports gathered for COPY.
struct PostgresTransaction: SQLBookTransaction {
    let session: PostgresSession
    let writing: Bool
    let settingsCache: SettingsCache

    init(_ session: PostgresSession, writing: Bool, settings: SettingsCache) {
        self.session = session
        self.writing = writing
        self.settingsCache = settings
    }

    var sql: PostgresExecutor { PostgresExecutor(session: session, writing: writing) }

    var bulk: (any BulkLoadAnswers)? { session.bulk }

    /// Waits for the advisory lock of the job: several servers run a daily job one after the other.
    func lock(job: String) throws {
        try session.execute("SELECT pg_advisory_xact_lock(hashtext($1))", "arbook.\(job)")
    }

    /// Writers run side by side: the sealer extends the chains (`AuditChain.seal`).
    var sealsChainsInline: Bool { false }

    /// SHARE conflicts with the ROW EXCLUSIVE an INSERT takes: it waits for the writers under way and
    /// holds new ones back until the sealer commits (a moment: it reads only what came since the last seal).
    /// The tables are taken in the order writers take them (entries, then the audit record at the end of
    /// the use case), so that the sealer and a writer never wait for each other.
    func holdWritersForSealing() throws {
        try session.execute("LOCK TABLE journal_entry, audit IN SHARE MODE")
    }

    /// Gathered for COPY during a load (the load's own sets answer whether a key exists), else an INSERT.
    func store(_ table: DocumentTable, _ values: [StoredValue]) throws -> Int64 {
        guard let bulk = session.bulk, bulk.gathers(table) else {
            return try sql.insert(table.insert(values))
        }
        if table == .entry, bulk.isFull { try bulk.flush(session) }
        guard bulk.claimKey(table, values) else { throw StorageError.duplicateKey }
        let id = try bulk.nextID(table.name, session: session)
        bulk.add(table, [.integer(id)] + values)
        return id
    }

    func storeRows(_ table: DocumentTable, _ rows: [[StoredValue]]) throws {
        guard let bulk = session.bulk, bulk.gathers(table) else {
            guard let statement = table.insertRows(rows) else { return }
            try sql.execute(statement)
            return
        }
        for row in rows { bulk.add(table, row) }
    }

    // MARK: bulk loads

    /// Below this many rows an import writes row by row.
    static let bulkRowsMin = 1_000

    /// Gathers the import's rows for COPY (see `PostgresBulk`), knowing what the book holds that the
    /// import will ask about.
    func beginBulkLoad(_ kind: ImportKind, rows: Int, autoAllocate: Bool) throws {
        guard rows >= Self.bulkRowsMin, session.bulk == nil else { return }
        let bulk = PostgresBulk(kind: kind, session: session)
        switch kind {
        case .customers:
            var codes = Set<String>()
            try session.each("SELECT code FROM customer") { codes.insert(try $0[0]) }
            bulk.customerCodes = codes
        case .invoices:
            var numbers = Set<String>()
            try session.each("SELECT number FROM invoice") { numbers.insert(try $0[0]) }
            bulk.invoiceNumbers = numbers
        case .receipts:
            var references = Set<String>()
            try session.each("SELECT reference FROM credit WHERE kind = 'receipt'") { references.insert("receipt:" + (try $0[0] as String)) }
            bulk.creditReferences = references
            try session.each("SELECT number, id, customer_id FROM invoice") { row in
                bulk.invoices[try row[0]] = (try row[1], try row[2])
            }
            try sql.stream("""
                SELECT \(Self.itemColumns), o.invoice_id FROM open_item o JOIN invoice i ON i.id = o.invoice_id
                WHERE o.amount_open > 0 ORDER BY o.id
                """) { row in
                let item = try Self.item(row)
                bulk.items[item.id] = item
                bulk.itemsOfInvoice[try row[7], default: []].append(item.id)
                bulk.itemsOfCustomer[item.customer, default: []].append(item.id)
            }
            bulk.tracksItems = true
        }
        session.bulk = bulk
        try deferChecks(kind, rows: rows, bulk: bulk)
    }

    func endBulkLoad() throws {
        guard let bulk = session.bulk else { return }
        session.bulk = nil
        try bulk.flush(session)
        try session.awaitBackground()
        for statement in bulk.restore { try session.execute(statement) }
        if !bulk.restore.isEmpty { try session.execute("ANALYZE \(Self.bulkTables(bulk.kind).joined(separator: ", "))") }
    }

    /// Below this many rows, or this share of the rows already in the table, a load keeps its indexes
    /// and foreign keys (as on SQLite).
    static let deferRowsMin = 50_000

    static func bulkTables(_ kind: ImportKind) -> [String] {
        switch kind {
        case .customers: []
        case .invoices: ["journal_entry", "journal_line", "invoice", "invoice_line", "open_item"]
        case .receipts: ["journal_entry", "journal_line", "credit", "allocation", "open_item"]
        }
    }

    /// For a large load: the secondary indexes and foreign keys of the tables it writes are dropped and,
    /// in `endBulkLoad`, made again — one sorted build and one set-based check of every reference instead
    /// of a probe per row. It all happens in the import's transaction: a failed import rolls it back
    /// with everything else. The tables stay locked for the import (other servers wait).
    private func deferChecks(_ kind: ImportKind, rows: Int, bulk: PostgresBulk) throws {
        let tables = Self.bulkTables(kind)
        guard rows >= Self.deferRowsMin, let main = tables.dropFirst(2).first else { return }
        let existing: Int64 = try session.row("SELECT COALESCE(MAX(id), 0) FROM \(main)")?[0] ?? 0
        guard Int64(rows) * 4 >= existing else { return }
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        try session.execute("LOCK TABLE \(tables.joined(separator: ", ")) IN EXCLUSIVE MODE")
        bulk.ownsSequences = true
        for row in try session.rows("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND conrelid::regclass::text IN (\(names)) ORDER BY conname
            """) {
            let table: String = try row[0], name: String = try row[1], definition: String = try row[2]
            try session.execute("ALTER TABLE \(table) DROP CONSTRAINT \(name)")
            bulk.restore.append("ALTER TABLE \(table) ADD CONSTRAINT \(name) \(definition)")
        }
        for row in try session.rows("""
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
            WHERE indrelid::regclass::text IN (\(names)) AND NOT indisprimary AND NOT indisunique ORDER BY 1
            """) {
            let name: String = try row[0], definition: String = try row[1]
            try session.execute("DROP INDEX \(name)")
            bulk.restore.insert(definition, at: 0)
        }
    }
}
