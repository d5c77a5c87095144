import Bookkeeping
import Foundation
import Receivables

/// Bookkeeping's storage protocols written once in SQL both engines run. An engine's transaction
/// conforms, names its executor and gets every read and write from the extensions of this protocol;
/// it implements itself only what truly differs (bulk loads, job locks, claiming outbox messages).
public protocol SQLBookTransaction: BookTransaction {
    associatedtype Executor: SQLExecutor
    var sql: Executor { get }
    var settingsCache: SettingsCache { get }
    /// What a running bulk load answers itself, if one runs (PostgreSQL gathers an import for COPY).
    var bulk: (any BulkLoadAnswers)? { get }
    /// Writes one row of a document table (its values without the id) and returns the new id. A row
    /// whose `unique` key exists is `.duplicate`, and the transaction goes on.
    func store(_ table: DocumentTable, _ values: [StoredValue]) throws -> Int64
    /// Writes rows of a table without ids of their own (lines).
    func storeRows(_ table: DocumentTable, _ rows: [[StoredValue]]) throws
}

/// What a bulk load knows better than the tables while it runs: the open items it has read and
/// changed, and what it has written but not yet sent.
public protocol BulkLoadAnswers: AnyObject {
    /// The invoice with its open items, when the load tracks items; `.some(nil)` for an unknown number.
    func payable(invoice number: DocumentNumber) -> PayableInvoice??
    /// The customer's open items, when the load tracks items.
    func openItems(customer: Customer.ID) -> [OpenItem]?
    /// Takes an allocation into what the load writes and gives its id; nil when the load does not
    /// know its item (the tables are then written as usual).
    func allocate(_ allocation: NewAllocation) throws -> Int64?
}

extension SQLBookTransaction {
    public var bulk: (any BulkLoadAnswers)? { nil }

    public func store(_ table: DocumentTable, _ values: [StoredValue]) throws -> Int64 {
        try sql.insert(table.insert(values))
    }

    public func storeRows(_ table: DocumentTable, _ rows: [[StoredValue]]) throws {
        guard let statement = table.insertRows(rows) else { return }
        try sql.execute(statement)
    }

    /// `FOR UPDATE` (of `table`, in a join) on an engine that locks the rows a write reads; nothing
    /// elsewhere or in a read.
    public func locking(_ table: String? = nil) -> SQL {
        guard sql.dialect.locksRows else { return "" }
        return table.map { SQL(text: " FOR UPDATE OF \($0)", values: []) } ?? " FOR UPDATE"
    }

    // MARK: settings

    public func settings() throws -> BookSettings {
        if let cached = settingsCache.value { return cached }
        let settings = try BookSettings(stored: try sql.rows("SELECT key, value FROM setting") { (key: try $0[0], value: try $0[1]) })
        settingsCache.value = settings
        return settings
    }

    public func saveSettings(_ settings: BookSettings) throws {
        for (key, value) in settings.stored {
            try sql.execute("""
                INSERT INTO setting (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """)
        }
        // Forgotten rather than set: should the transaction roll back, the next read finds the truth.
        settingsCache.value = nil
    }

    // MARK: import batches and audit

    public func importBatch(fingerprint: String) throws -> ImportBatch? {
        try sql.row("SELECT fingerprint, kind, file_name, rows, imported_at FROM import_batch WHERE fingerprint = \(fingerprint)") {
            ImportBatch(fingerprint: try $0[0], kind: try $0[1], fileName: try $0[2], rows: try $0[3], importedAt: try $0[4])
        }
    }

    public func insertImportBatch(_ batch: ImportBatch) throws {
        try sql.insertOnce("""
            INSERT INTO import_batch (fingerprint, kind, file_name, rows, imported_at)
            VALUES (\(batch.fingerprint), \(batch.kind), \(batch.fileName), \(batch.rows), \(batch.importedAt))
            ON CONFLICT DO NOTHING
            """)
    }

    public func insertAudit(_ record: AuditRecord) throws {
        try sql.execute("""
            INSERT INTO audit (at, actor, actor_user_id, action, entity, key, before, after)
            VALUES (\(record.at), \(record.actor), \(record.actorUser), \(record.action), \(record.entity), \(record.key),
                    \(record.before), \(record.after))
            """)
    }

    static var auditColumns: SQL { "id, at, actor, actor_user_id, action, entity, key, before, after" }

    static func audit(_ row: Executor.Row, from column: Int = 0) throws -> AuditRecord {
        AuditRecord(id: try row[column], at: try row[column + 1], actor: try row[column + 2], actorUser: try row[column + 3],
                    action: try row[column + 4], entity: try row[column + 5], key: try row[column + 6], before: try row[column + 7],
                    after: try row[column + 8])
    }

    public func auditRecords(limit: Int, before: Int64?) throws -> [AuditRecord] {
        try sql.rows("""
            SELECT \(Self.auditColumns) FROM audit WHERE id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(limit)
            """) { try Self.audit($0) }
    }

    public func auditRecords(after: Int64, limit: Int) throws -> [AuditRecord] {
        try sql.rows("SELECT \(Self.auditColumns) FROM audit WHERE id > \(after) ORDER BY id LIMIT \(limit)") { try Self.audit($0) }
    }

    public func auditRecords(entity: String, key: String, limit: Int) throws -> [AuditRecord] {
        try sql.rows("""
            SELECT \(Self.auditColumns) FROM audit WHERE entity = \(entity) AND key = \(key) ORDER BY id DESC LIMIT \(limit)
            """) { try Self.audit($0) }
    }

    public func auditRecordCount(after: Int64) throws -> Int {
        try sql.value("SELECT count(*) FROM audit WHERE id > \(after)") ?? 0
    }

    public func lastAuditLink() throws -> AuditLink? {
        try sql.row("SELECT seq, audit_id, hash FROM audit_link ORDER BY seq DESC LIMIT 1") {
            AuditLink(seq: try $0[0], audit: try $0[1], hash: try $0[2])
        }
    }

    public func auditLinks(fromSeq: Int64, limit: Int) throws -> [(link: AuditLink, record: AuditRecord?)] {
        try sql.rows("""
            SELECT l.seq, l.audit_id, l.hash, a.id, a.at, a.actor, a.actor_user_id, a.action, a.entity, a.key, a.before, a.after
            FROM audit_link l LEFT JOIN audit a ON a.id = l.audit_id WHERE l.seq >= \(fromSeq) ORDER BY l.seq LIMIT \(limit)
            """) { row in
            let link = AuditLink(seq: try row[0], audit: try row[1], hash: try row[2])
            let present: Int64? = try row[3]
            return (link, present == nil ? nil : try Self.audit(row, from: 3))
        }
    }

    public func lastJournalSeal() throws -> JournalSeal? {
        try sql.row("SELECT seq, first_entry_id, last_entry_id, entries, hash FROM journal_seal ORDER BY seq DESC LIMIT 1", Self.seal)
    }

    public func journalSeals(fromSeq: Int64, limit: Int) throws -> [JournalSeal] {
        try sql.rows("""
            SELECT seq, first_entry_id, last_entry_id, entries, hash FROM journal_seal WHERE seq >= \(fromSeq) ORDER BY seq LIMIT \(limit)
            """, Self.seal)
    }

    static func seal(_ row: Executor.Row) throws -> JournalSeal {
        JournalSeal(seq: try row[0], firstEntry: try row[1], lastEntry: try row[2], entries: try row[3], hash: try row[4])
    }

    /// One ordered stream of entries and their lines; an entry is handed over once its last line is read.
    public func visitJournal(after: JournalEntry.ID, through: JournalEntry.ID,
                             _ body: (JournalEntry.ID, JournalEntry) throws -> Void) throws {
        var parser = StoredTextParser()
        var current: (id: JournalEntry.ID, day: Day, kind: EntryKind, document: String, currency: Currency, lines: [JournalLine])?
        try sql.stream("""
            SELECT e.id, e.day, e.kind, e.document, e.currency, l.account, l.customer_id, l.amount
            FROM journal_entry e LEFT JOIN journal_line l ON l.entry_id = e.id
            WHERE e.id > \(after) AND e.id <= \(through) ORDER BY e.id, l.line_no
            """) { row in
            let id: JournalEntry.ID = try row[0]
            if let entry = current, entry.id != id {
                try body(entry.id, JournalEntry(stored: entry.day, kind: entry.kind, document: entry.document, lines: entry.lines))
                current = nil
            }
            if current == nil {
                let kind: String = try row[2]
                current = (id, try row[1], EntryKind(rawValue: kind) ?? .invoice, try row[3], try parser.currency(try row[4]), [])
            }
            if let account: String = try row[5], let currency = current?.currency {
                current?.lines.append(JournalLine(account: Account(account), customer: try row[6],
                                                  amount: Money(minorUnits: try row[7], currency: currency)))
            }
        }
        if let entry = current {
            try body(entry.id, JournalEntry(stored: entry.day, kind: entry.kind, document: entry.document, lines: entry.lines))
        }
    }

    public func insertJournalSeal(_ seal: JournalSeal) throws {
        try sql.execute("""
            INSERT INTO journal_seal (seq, first_entry_id, last_entry_id, entries, hash)
            VALUES (\(seal.seq), \(seal.firstEntry), \(seal.lastEntry), \(seal.entries), \(seal.hash))
            """)
    }

    public func insertAuditLink(_ link: AuditLink) throws {
        try sql.execute("INSERT INTO audit_link (seq, audit_id, hash) VALUES (\(link.seq), \(link.audit), \(link.hash))")
    }
}

/// The book's settings shared by the transactions of one open book. Kept for `maxAge` seconds when set
/// (another server may change them), else until `saveSettings` forgets them.
public final class SettingsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (settings: BookSettings, at: Date)?
    private let maxAge: TimeInterval?

    public init(maxAge: TimeInterval? = nil) {
        self.maxAge = maxAge
    }

    public var value: BookSettings? {
        get {
            lock.withLock {
                guard let stored else { return nil }
                if let maxAge, Date().timeIntervalSince(stored.at) >= maxAge { return nil }
                return stored.settings
            }
        }
        set { lock.withLock { stored = newValue.map { ($0, Date()) } } }
    }
}
