import Bookkeeping
import BookSQL
import Foundation
import GRDB
import Receivables

/// The embedded engine: one SQLite file per book, in WAL mode, with foreign keys on and
/// synchronous=FULL, so an acknowledged write survives a power loss.
public final class SQLiteBook: BookStorage {
    let pool: DatabasePool
    let groupCommit: GroupCommit
    let settingsCache = SettingsCache()
    public let path: String

    /// Opens the book at `path`. With `create`, a missing file becomes a new, empty book with
    /// `settings`; without it, a missing file is an error. `memoryMapped` reads the file through a
    /// memory map of up to that many bytes instead of copying each page with a system call: for a
    /// long-running server whose requests wander over a large book (the mapped pages are the kernel's
    /// file cache, shared by every connection, not the process's own memory).
    public init(path: String, create: Bool = false, settings: BookSettings = BookSettings(), memoryMapped: Int64 = 0) throws {
        self.path = path
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw StorageError(code: .unavailable, message: "no book at \(path) (run 'arbook init' to create one)")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A 64 MiB page cache per connection: large imports otherwise spill pages to the WAL and
            // read them back many times over.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            if memoryMapped > 0 { try db.execute(sql: "PRAGMA mmap_size = \(memoryMapped)") }
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            self.pool = pool
            groupCommit = GroupCommit(pool: pool, settings: settingsCache)
            let migrator = Schema.migrator
            try pool.read { db in
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                if tables > 0, try !db.tableExists("grdb_migrations") {
                    throw StorageError(code: .incompatible, message: "\(path) is not an arbook book")
                }
            }
            try migrator.migrate(pool)
            if create {
                try pool.write { db in
                    if try Int.fetchOne(db, sql: "SELECT count(*) FROM setting") == 0 {
                        try SQLiteTransaction(db).saveSettings(settings)
                    }
                }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Writes go through group commit: concurrent use cases share a transaction (each in its own
    /// savepoint) and so an fsync; each caller hears back once its write is durable.
    public func write<T: Sendable>(_ work: @escaping @Sendable (any BookTransaction) throws -> T) async throws -> T {
        try await groupCommit.write(work)
    }

    public func read<T: Sendable>(_ work: @escaping @Sendable (any BookReader) throws -> T) async throws -> T {
        do {
            let cache = settingsCache
            return try await pool.read { db in try work(SQLiteTransaction(db, settings: cache)) }
        } catch let error as DatabaseError {
            throw Self.storageError(error)
        }
    }

    /// A consistent copy of the book at `destination`, taken with SQLite's online backup API while
    /// other connections keep writing.
    public func backup(to destination: String) throws {
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Runs `sql` on the book past every rule of arbook's own: for tests that break a book on purpose
    /// to prove that `check` and the schema notice.
    @_spi(Tampering) public func tamper(_ sql: String) async throws {
        do { try await pool.write { try $0.execute(sql: sql) } } catch { throw Self.storageError(error) }
    }

    /// Closes every connection, so that the write-ahead log is folded into the file and the file can
    /// be moved; the book cannot be used afterwards.
    public func close() throws {
        do { try pool.close() } catch { throw Self.storageError(error) }
    }

    /// Translates GRDB's errors; no raw database error leaves the engine.
    static func storageError(_ error: Error) -> StorageError {
        if let storage = error as? StorageError { return storage }
        guard let database = error as? DatabaseError else {
            return StorageError(code: .unavailable, message: "the book could not be read or written", underlying: "\(error)")
        }
        return storageError(code: database.extendedResultCode.rawValue, underlying: "\(database)")
    }

    /// Translates an SQLite extended result code.
    static func storageError(code: Int32, underlying: String) -> StorageError {
        switch code {
        case 2067, 1555: // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
            return StorageError(code: .duplicate, message: "a record with that key exists already", underlying: underlying)
        case let constraint where constraint & 0xff == 19: // CHECK, FOREIGNKEY, NOTNULL, TRIGGER, any other constraint
            return StorageError(code: .constraint, message: "the book refused a value that breaks one of its rules", underlying: underlying)
        case 26, 11: // SQLITE_NOTADB, SQLITE_CORRUPT
            return StorageError(code: .incompatible, message: "the file is not an arbook book", underlying: underlying)
        default:
            return StorageError(code: .unavailable, message: "the book could not be read or written", underlying: underlying)
        }
    }
}
