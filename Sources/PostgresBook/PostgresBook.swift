import Bookkeeping
import BookSQL
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The server engine: the book in a PostgreSQL database, shared by as many `arbook serve` instances as
/// a company runs. Each use case is one transaction on a pooled connection; its synchronous body runs
/// on a thread of the engine's own pool and waits for each query there, never on the event loops or
/// Swift's cooperative threads.
///
/// Writers run concurrently (there is no group commit): the reads a write makes of open items and
/// credits lock those rows (`FOR UPDATE`), so two allocations against one item are serialised and the
/// second sees what the first left; a deadlock or serialisation failure runs the whole use case again.
public final class PostgresBook: BookStorage, @unchecked Sendable {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    /// Opening: the database created if asked, the schema migrated. Every use case waits for it; one
    /// that failed (the server was down) is tried again by the next use.
    private var opening: Task<Void, Error>?
    private let openingLock = NSLock()
    private let create: Bool
    private let initialSettings: BookSettings
    let logger: Logger
    /// Another server may change the settings: they are read again after a second.
    let settingsCache = SettingsCache(maxAge: 1)
    public let location: PostgresLocation
    /// A use case that keeps meeting deadlocks or serialisation failures gives up after this many runs.
    static let attemptsMax = 10
    /// The threads use-case bodies run on, shared by every book the process opens.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 64)
        pool.start()
        return pool
    }()

    /// Opens the book at `url` (`postgres://user@host:port/database`). The connection and the schema
    /// migration happen in the background: a failure to reach the database or a database that is not
    /// a book is reported by the first use of the book. With `create`, a missing database is created
    /// (the user needs the CREATEDB right) and an empty one gets `settings`; without it, an empty
    /// database is an error. At most `connections` transactions run at once.
    public init(url: String, create: Bool = false, settings: BookSettings = BookSettings(), connections: Int = 32,
                logger: Logger = PostgresBook.quietLogger) throws {
        let location = try PostgresLocation(url: url)
        self.location = location
        self.logger = logger
        var configuration = location.configuration()
        configuration.options.maximumConnections = connections
        configuration.options.minimumConnections = 0
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        self.create = create
        initialSettings = settings
        openingLock.withLock { opening = startOpening() }
    }

    private func startOpening() -> Task<Void, Error> {
        Task { [self] in
            if create { try await Self.createDatabaseIfMissing(location, logger: logger) }
            try await Self.probe(location, logger: logger)
            try await migrate(create: create, settings: initialSettings)
        }
    }

    /// Waits until the book is open; after a failure the next call tries again.
    private func ready() async throws {
        let task = openingLock.withLock {
            if let opening { return opening }
            let started = startOpening()
            opening = started
            return started
        }
        do {
            try await task.value
        } catch {
            openingLock.withLock { if opening == task { opening = nil } }
            throw error
        }
    }

    deinit { runner.cancel() }

    /// Waits until the book is open: reports what kept it from opening.
    public func opened() async throws {
        try await ready()
    }

    /// Closes the pool; the book cannot be used afterwards.
    public func close() async {
        _ = try? await ready()
        runner.cancel()
        _ = await runner.result
    }

    public func write<T: Sendable>(_ work: @escaping @Sendable (any BookTransaction) throws -> T) async throws -> T {
        try await ready()
        let cache = settingsCache
        return try await transaction(readOnly: false) { session in try work(PostgresTransaction(session, writing: true, settings: cache)) }
    }

    public func read<T: Sendable>(_ work: @escaping @Sendable (any BookReader) throws -> T) async throws -> T {
        try await ready()
        let cache = settingsCache
        return try await transaction(readOnly: true) { session in try work(PostgresTransaction(session, writing: false, settings: cache)) }
    }

    /// Runs `body` in one transaction on a pooled connection, on the engine's threads. Reads see one
    /// snapshot (repeatable read); writes run at read committed with row locks, again after a deadlock.
    func transaction<T: Sendable>(readOnly: Bool, _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        let threads = Self.threads, logger = logger
        var attempt = 1
        while true {
            do {
                return try await client.withConnection { connection in
                    try await threads.runIfActive {
                        let session = PostgresSession(connection: connection, logger: logger)
                        try session.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
                        do {
                            let result = try body(session)
                            try session.execute("COMMIT")
                            return result
                        } catch {
                            session.rollBack()
                            throw error
                        }
                    }
                }
            } catch let conflict as PostgresConflict {
                guard attempt < Self.attemptsMax else { throw conflict.storageError }
                attempt += 1
                // The other transaction holds the rows a moment longer; a little jitter keeps the two apart.
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            } catch let error as PSQLError {
                throw Self.storageError(error)
            } catch let error as ChannelError {
                throw Self.storageError(error)
            } catch let error as IOError {
                throw Self.storageError(error)
            }
        }
    }

    /// Runs `sql` on the book past every rule of arbook's own: for tests that break a book on purpose
    /// to prove that `check` and the schema notice.
    @_spi(Tampering) public func tamper(_ sql: String) async throws {
        try await ready()
        try await transaction(readOnly: false) { session in _ = try session.execute(sql) }
    }

    // MARK: opening

    /// The pool's own reports (a connection lost and made again) stay quiet; the book's callers hear of failures.
    public static var quietLogger: Logger {
        var logger = Logger(label: "arbook.postgres")
        logger.logLevel = .error
        return logger
    }

    /// One connection made outside the pool, which would keep trying: a server that cannot be reached,
    /// a refused password or a missing database is reported at once.
    private static func probe(_ location: PostgresLocation, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            let failure = storageError(error)
            throw StorageError(code: failure.code, message: "\(failure.message) (\(location))", underlying: failure.underlying)
        }
    }

    private func migrate(create: Bool, settings: BookSettings) async throws {
        let cache = settingsCache
        try await transaction(readOnly: false) { session in
            // One server migrates at a time; the others wait and find the work done.
            try session.execute("SELECT pg_advisory_xact_lock(7345112001)")
            let tables: Int64 = try session.row("""
                SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()
                """)?[0] ?? 0
            let tracked: Int64 = try session.row("""
                SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'arbook_migration'
                """)?[0] ?? 0
            if tables > 0, tracked == 0 {
                throw StorageError(code: .incompatible, message: "the database is not an arbook book (it holds other tables)")
            }
            if tables == 0, !create {
                throw StorageError(code: .unavailable, message: "no book in this database (run 'arbook init' to create one)")
            }
            try session.execute("CREATE TABLE IF NOT EXISTS arbook_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = Set(try session.rows("SELECT name FROM arbook_migration").map { try $0[0] as String })
            let known = Set(BookSchema.migrations.map(\.name))
            if let unknown = applied.subtracting(known).sorted().first {
                throw StorageError(code: .incompatible, message: "the book was written by a newer arbook (migration \(unknown))")
            }
            for migration in BookSchema.migrations where !applied.contains(migration.name) {
                try session.script(migration.sql(for: .postgres))
                try session.execute("INSERT INTO arbook_migration (name, applied_at) VALUES ($1, $2)", migration.name,
                                    Timestamp.iso(Int64(Date().timeIntervalSince1970)))
            }
            let transaction = PostgresTransaction(session, writing: true, settings: cache)
            let stored: Int64 = try session.row("SELECT count(*) FROM setting")?[0] ?? 0
            if stored == 0 { try transaction.saveSettings(settings) }
        }
    }

    private static func createDatabaseIfMissing(_ location: PostgresLocation, logger: Logger) async throws {
        let client = PostgresClient(configuration: location.with(database: "postgres").configuration(), backgroundLogger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        do {
            try await client.withConnection { connection in
                let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(location.database)", logger: logger)
                    .collect().count > 0
                guard !exists else { return }
                let name = location.database.replacingOccurrences(of: "\"", with: "\"\"")
                _ = try await connection.simpleQuery("CREATE DATABASE \"\(name)\"").get()
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
            return // created by someone else meanwhile
        } catch {
            throw storageError(error)
        }
    }

    // MARK: errors

    /// Translates PostgresNIO's errors; no raw database error leaves the engine.
    static func storageError(_ error: Error) -> StorageError {
        if let storage = error as? StorageError { return storage }
        if let conflict = error as? PostgresConflict { return conflict.storageError }
        guard let psql = error as? PSQLError else {
            return StorageError(code: .unavailable, message: "the book could not be read or written", underlying: "\(error)")
        }
        let state = psql.serverInfo?[.sqlState] ?? ""
        let detail = psql.serverInfo?[.message] ?? "\(psql.code)"
        switch state {
        case "23505":
            return StorageError(code: .duplicate, message: "a record with that key exists already", underlying: detail)
        case let code where code.hasPrefix("23") || code == "22003" || code == "P0001":
            return StorageError(code: .constraint, message: "the book refused a value that breaks one of its rules", underlying: detail)
        case "3D000":
            return StorageError(code: .unavailable, message: "the database does not exist (run 'arbook init' to create it)", underlying: detail)
        case let code where code.hasPrefix("28"):
            return StorageError(code: .unavailable, message: "PostgreSQL refused the user or password", underlying: detail)
        case "":
            return StorageError(code: .unavailable, message: "PostgreSQL could not be reached", underlying: "\(psql.code) \(psql.underlying.map { "\($0)" } ?? "")")
        default:
            return StorageError(code: .unavailable, message: "the book could not be read or written", underlying: "\(state) \(detail)")
        }
    }
}

/// A deadlock or serialisation failure: the transaction is run again.
struct PostgresConflict: Error {
    let detail: String
    var storageError: StorageError {
        StorageError(code: .unavailable, message: "the book was too busy to take the change; try again", underlying: detail)
    }
}
