import Bookkeeping
import Foundation
import Receivables

/// Bookkeeping's storage protocols over one PostgreSQL connection, inside the transaction the engine
/// opened. In a write, the reads of open items and credits lock what they return (`FOR UPDATE`): what a
/// use case decides from them still holds when it writes.
struct PostgresTransaction: BookTransaction {
    let session: PostgresSession
    let writing: Bool
    let settingsCache: PostgresSettingsCache

    init(_ session: PostgresSession, writing: Bool, settings: PostgresSettingsCache) {
        self.session = session
        self.writing = writing
        self.settingsCache = settings
    }

    /// Locks the rows a write reads so that they cannot change under it.
    var forUpdate: String { writing ? " FOR UPDATE" : "" }

    // MARK: settings

    func settings() throws -> BookSettings {
        if let cached = settingsCache.value { return cached }
        let settings = try BookSettings(stored: try session.rows("SELECT key, value FROM setting").map { (key: try $0[0], value: try $0[1]) })
        settingsCache.value = settings
        return settings
    }

    func saveSettings(_ settings: BookSettings) throws {
        for (key, value) in settings.stored {
            try session.execute("INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
        }
        settingsCache.value = nil
    }

    // MARK: customers

    static let customerColumns = "id, code, name, currency, terms, credit_limit, category, email, phone, collector_user_id"

    func customer(code: Customer.Code) throws -> StoredCustomer? {
        try session.row("SELECT \(Self.customerColumns) FROM customer WHERE code = $1", code.rawValue).map(Self.customer(from:))
    }

    func customer(id: Customer.ID) throws -> StoredCustomer? {
        try session.row("SELECT \(Self.customerColumns) FROM customer WHERE id = $1", id.rawValue).map(Self.customer(from:))
    }

    static func customer(from row: PostgresRowReader) throws -> StoredCustomer {
        let currency = try Self.currency(row[3])
        let terms = StoredTextParser.terms(try row[4])
        let customer = Customer(code: Customer.Code(try row[1]), name: try row[2], currency: currency, terms: terms,
                                creditLimit: Money(minorUnits: try row[5], currency: currency),
                                category: try row[6], email: try row[7], phone: try row[8])
        return StoredCustomer(id: Customer.ID(try row[0]), customer: customer, collector: try row[9])
    }

    static func currency(_ code: String) throws -> Currency { try StoredTextParser.currency(code) }

    func customerDirectory() throws -> [Customer.ID: CustomerSummary] {
        var directory: [Customer.ID: CustomerSummary] = [:]
        var parser = StoredTextParser()
        try session.each("SELECT id, code, name, currency, terms, collector_user_id, credit_limit FROM customer") { row in
            let currency = try parser.currency(try row[3])
            let terms = parser.terms(try row[4])
            directory[Customer.ID(try row[0])] = CustomerSummary(
                code: Customer.Code(try row[1]), name: try row[2], currency: currency, terms: terms,
                collector: try row[5], creditLimit: try row[6])
        }
        return directory
    }

    func insertCustomer(_ customer: Customer) throws -> Customer.ID {
        let gathered = session.bulk?.customerCodes != nil
        if gathered {
            guard session.bulk!.customerCodes!.insert(customer.code.rawValue).inserted else { throw Self.duplicate }
        }
        return Customer.ID(try store(.customer, Rows.customer(customer), unique: "code", gathered: gathered))
    }

    func importBatch(fingerprint: String) throws -> ImportBatch? {
        try session.row("SELECT fingerprint, kind, file_name, rows, imported_at FROM import_batch WHERE fingerprint = $1", fingerprint).map {
            ImportBatch(fingerprint: try $0[0], kind: try $0[1], fileName: try $0[2], rows: try $0[3], importedAt: try $0[4])
        }
    }

    func insertImportBatch(_ batch: ImportBatch) throws {
        _ = try session.insert("""
            INSERT INTO import_batch (fingerprint, kind, file_name, rows, imported_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT DO NOTHING RETURNING 0::bigint
            """, batch.fingerprint, batch.kind, batch.fileName, batch.rows, batch.importedAt)
    }

    // MARK: audit

    func insertAudit(_ record: AuditRecord) throws {
        try session.execute("""
            INSERT INTO audit (at, actor, actor_user_id, action, entity, key, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, record.at, record.actor, record.actorUser, record.action, record.entity, record.key, record.before, record.after)
    }

    func auditRecords(limit: Int, before: Int64?) throws -> [AuditRecord] {
        try session.rows("""
            SELECT id, at, actor, actor_user_id, action, entity, key, before, after FROM audit
            WHERE id < $1 ORDER BY id DESC LIMIT $2
            """, before ?? Int64.max, limit).map {
            AuditRecord(id: try $0[0], at: try $0[1], actor: try $0[2], actorUser: try $0[3], action: try $0[4], entity: try $0[5],
                        key: try $0[6], before: try $0[7], after: try $0[8])
        }
    }

    // MARK: bulk loads

    /// Below this many rows an import writes row by row.
    static let bulkRowsMin = 1_000

    /// Gathers the import's rows for COPY (see `PostgresBulk`), knowing what the book holds that the
    /// import will ask about.
    func beginBulkLoad(_ kind: ImportKind, rows: Int, autoAllocate: Bool) throws {
        guard rows >= Self.bulkRowsMin, session.bulk == nil else { return }
        let bulk = PostgresBulk()
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
                bulk.invoices[try row[0]] = (try row[1], Customer.ID(try row[2]))
            }
            try session.each("""
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
        bulk.kind = kind
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
