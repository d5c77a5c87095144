import Bookkeeping
import Foundation
import GRDB
import GRDBSQLite
import Receivables

/// Bookkeeping's storage protocols over one GRDB connection, inside the transaction GRDB opened.
/// Statements are cached per connection, so an import reuses the same prepared statements.
struct SQLiteTransaction: BookTransaction {
    let db: Database
    /// The book's settings, read once per open book: they change only through `saveSettings`.
    let settingsCache: SettingsCache

    init(_ db: Database, settings: SettingsCache = SettingsCache()) {
        self.db = db
        self.settingsCache = settings
    }

    func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        do {
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
        } catch {
            throw SQLiteBook.storageError(error)
        }
    }

    func row(_ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
        do {
            return try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
        } catch {
            throw SQLiteBook.storageError(error)
        }
    }

    /// Streams rows without building an array: reports read hundreds of thousands of them.
    func each(_ sql: String, _ arguments: StatementArguments = [], _ body: (Row) throws -> Void) throws {
        let cursor: RowCursor
        do {
            cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        } catch {
            throw SQLiteBook.storageError(error)
        }
        while let row = try nextRow(cursor) { try body(row) }
    }

    private func nextRow(_ cursor: RowCursor) throws -> Row? {
        do { return try cursor.next() } catch { throw SQLiteBook.storageError(error) }
    }

    // MARK: settings

    func settings() throws -> BookSettings {
        if let cached = settingsCache.value { return cached }
        let settings = try BookSettings(stored: try rows("SELECT key, value FROM setting").map { (key: $0[0], value: $0[1]) })
        settingsCache.value = settings
        return settings
    }

    func saveSettings(_ settings: BookSettings) throws {
        for (key, value) in settings.stored {
            try run("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
        }
        // Forgotten rather than set: should the transaction roll back, the next read finds the truth.
        settingsCache.value = nil
    }

    // MARK: customers

    static let customerColumns = "id, code, name, currency, terms, credit_limit, category, email, phone, collector_user_id"

    func customer(code: Customer.Code) throws -> StoredCustomer? {
        try row("SELECT \(Self.customerColumns) FROM customer WHERE code = ?", [code.rawValue]).map(Self.customer(from:))
    }

    func customer(id: Customer.ID) throws -> StoredCustomer? {
        try row("SELECT \(Self.customerColumns) FROM customer WHERE id = ?", [id.rawValue]).map(Self.customer(from:))
    }

    static func customer(from row: Row) throws -> StoredCustomer {
        let currency = try Self.currency(row[3])
        let terms = StoredTextParser.terms(row[4])
        let customer = Customer(code: Customer.Code(row[1]), name: row[2], currency: currency, terms: terms,
                                creditLimit: Money(minorUnits: row[5], currency: currency),
                                category: row[6], email: row[7], phone: row[8])
        return StoredCustomer(id: Customer.ID(row[0]), customer: customer, collector: row[9])
    }

    static func currency(_ code: String) throws -> Currency { try StoredTextParser.currency(code) }

    func customerDirectory() throws -> [Customer.ID: CustomerSummary] {
        var directory: [Customer.ID: CustomerSummary] = [:]
        var parser = StoredTextParser()
        // Read with the C API: every dashboard and list reads the whole directory.
        func text(_ row: OpaquePointer, _ column: Int32) -> String {
            sqlite3_column_text(row, column).map { String(cString: $0) } ?? ""
        }
        try scan("SELECT id, code, name, currency, terms, collector_user_id, credit_limit FROM customer") { row in
            // Customers share a handful of currencies and terms: each distinct text is parsed once.
            let currency = try parser.currency(text(row, 3))
            let terms = parser.terms(text(row, 4))
            let collector = sqlite3_column_type(row, 5) == SQLITE_NULL ? nil : sqlite3_column_int64(row, 5)
            directory[Customer.ID(sqlite3_column_int64(row, 0))] = CustomerSummary(
                code: Customer.Code(text(row, 1)), name: text(row, 2), currency: currency, terms: terms,
                collector: collector, creditLimit: sqlite3_column_int64(row, 6))
        }
        return directory
    }

    func insertCustomer(_ customer: Customer) throws -> Customer.ID {
        let id = try insertRow("""
            INSERT INTO customer (code, name, currency, terms, credit_limit, category, email, phone)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, customer.code.rawValue, customer.name, customer.currency.code, customer.terms.description,
                  customer.creditLimit.minorUnits, customer.category, customer.email, customer.phone)
        return Customer.ID(id)
    }

    func importBatch(fingerprint: String) throws -> ImportBatch? {
        try row("SELECT fingerprint, kind, file_name, rows, imported_at FROM import_batch WHERE fingerprint = ?", [fingerprint]).map {
            ImportBatch(fingerprint: $0[0], kind: $0[1], fileName: $0[2], rows: $0[3], importedAt: $0[4])
        }
    }

    func insertImportBatch(_ batch: ImportBatch) throws {
        try run("INSERT INTO import_batch (fingerprint, kind, file_name, rows, imported_at) VALUES (?, ?, ?, ?, ?)",
                batch.fingerprint, batch.kind, batch.fileName, batch.rows, batch.importedAt)
    }

    // MARK: audit

    func insertAudit(_ record: AuditRecord) throws {
        try run("""
            INSERT INTO audit (at, actor, actor_user_id, action, entity, key, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, record.at, record.actor, record.actorUser, record.action, record.entity, record.key, record.before, record.after)
    }

    func auditRecords(limit: Int, before: Int64?) throws -> [AuditRecord] {
        try rows("""
            SELECT id, at, actor, actor_user_id, action, entity, key, before, after FROM audit
            WHERE id < ? ORDER BY id DESC LIMIT ?
            """, [before ?? Int64.max, limit]).map {
            AuditRecord(id: $0[0], at: $0[1], actor: $0[2], actorUser: $0[3], action: $0[4], entity: $0[5], key: $0[6],
                        before: $0[7], after: $0[8])
        }
    }
}

/// Settings shared by the transactions of one open book.
final class SettingsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: BookSettings?

    var value: BookSettings? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
