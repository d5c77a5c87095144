import Bookkeeping
import Receivables

/// What an engine gives the SQL core: statements run inside the transaction the engine opened, with
/// their values bound and their rows handed over one by one. Engines prepare each distinct text once
/// and reuse it. Every error leaves as a `StorageError`.
public protocol SQLExecutor {
    associatedtype Row: SQLRow
    var dialect: SQLDialect { get }
    /// Runs `sql` and hands `body` each row: for results small enough to take at once.
    func query(_ sql: SQL, _ body: (Row) throws -> Void) throws
    /// Runs `sql` and hands `body` each row without holding them all: for reports over the whole book.
    func stream(_ sql: SQL, _ body: (Row) throws -> Void) throws
    /// Runs a statement; returns how many rows it changed.
    @discardableResult func execute(_ sql: SQL) throws -> Int
    /// Runs an `INSERT` into a table with an `id` (written without `RETURNING`: SQLite gives the id
    /// from the connection, which costs half what `RETURNING` does; PostgreSQL adds `RETURNING id`)
    /// and gives the new row's id, or nil when an `ON CONFLICT … DO NOTHING` met a key that exists.
    func insertRow(_ sql: SQL) throws -> Int64?
}

/// The few ways the two engines' SQL differs. Everything else the core writes once.
public struct SQLDialect: Sendable, Hashable {
    public enum Engine: Sendable, Hashable { case sqlite, postgres }
    public let engine: Engine
    /// Whether reads made by a write lock the rows they return (`FOR UPDATE`): an engine with several
    /// writers at once needs it; one writer at a time does not.
    public let locksRows: Bool

    public init(engine: Engine, locksRows: Bool) {
        self.engine = engine
        self.locksRows = locksRows
    }
}

extension SQLExecutor {
    /// Each row mapped by `map`.
    public func rows<T>(_ sql: SQL, _ map: (Row) throws -> T) throws -> [T] {
        var result: [T] = []
        try query(sql) { result.append(try map($0)) }
        return result
    }

    /// The first row mapped by `map`, nil without rows.
    public func row<T>(_ sql: SQL, _ map: (Row) throws -> T) throws -> T? {
        var result: T?
        try query(sql) { row in if result == nil { result = try map(row) } }
        return result
    }

    /// The first column of the first row; nil without rows or for NULL.
    public func value<T: SQLColumn>(_ sql: SQL) throws -> T? {
        try row(sql) { row -> T? in try T.read(row, 0) } ?? nil
    }

    /// Runs an `INSERT` (without `RETURNING`) and gives the new row's id. An `INSERT … ON CONFLICT DO
    /// NOTHING` that writes no row met a key that exists: that is `.duplicate`, and the transaction goes
    /// on (an error would abort it on PostgreSQL, and an import reports every duplicate row).
    @inlinable
    public func insert(_ sql: SQL) throws -> Int64 {
        guard let id = try insertRow(sql) else { throw StorageError.duplicateKey }
        return id
    }

    /// `insert` for a table whose ids are typed: the new row's id as the kind of id it is.
    @inlinable
    public func insert<Subject>(_ sql: SQL) throws -> Identifier<Subject> {
        Identifier(try insert(sql) as Int64)
    }

    /// Runs an `INSERT … ON CONFLICT DO NOTHING` into a table without an id; a row not written met a
    /// key that exists: `.duplicate`.
    @inlinable
    public func insertOnce(_ sql: SQL) throws {
        guard try execute(sql) > 0 else { throw StorageError.duplicateKey }
    }
}

extension StorageError {
    public static let duplicateKey = StorageError(code: .duplicate, message: "a record with that key exists already")
}
