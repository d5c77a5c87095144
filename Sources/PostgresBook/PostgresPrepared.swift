import Bookkeeping
import Foundation
import NIOCore
import PostgresNIO

/// Statements prepared on each connection of the pool, by their text: the SQL core's statements are
/// parsed and planned by PostgreSQL once per connection instead of once per use. A statement stays
/// prepared for the connection's life (prepared statements outlive transactions); past
/// `perConnectionMax` distinct texts on one connection (texts with lists of ids differ each time) the
/// rest run unprepared.
final class PreparedStatements: @unchecked Sendable {
    static let shared = PreparedStatements()
    static let perConnectionMax = 512

    private struct Entry {
        let connection: PostgresConnection
        var statements: [String: PreparedQuery] = [:]
    }

    private let lock = NSLock()
    /// Keyed by the connection object, which the entry holds so that its identity is not reused.
    private var entries: [ObjectIdentifier: Entry] = [:]

    /// The statement for `text` on `connection`, prepared now if it was not; nil when the connection has
    /// as many as it keeps.
    func statement(_ text: String, on connection: PostgresConnection) throws -> PreparedQuery? {
        let key = ObjectIdentifier(connection)
        let known: PreparedQuery?? = lock.withLock {
            guard let entry = entries[key] else { return .some(nil) }
            if let statement = entry.statements[text] { return statement }
            return entry.statements.count < Self.perConnectionMax ? .some(nil) : .none
        }
        guard let known else { return nil }
        if let known { return known }
        let prepared = try connection.prepare(query: text).wait()
        lock.withLock {
            if entries[key] == nil {
                // A new connection: forget those the pool has closed.
                entries = entries.filter { !$0.value.connection.isClosed }
                entries[key] = Entry(connection: connection)
            }
            entries[key]?.statements[text] = prepared
        }
        return prepared
    }
}

extension StoredValue {
    /// The value as the prepared-statement interface binds it; its type matches the cast the
    /// placeholder carries (see `PostgresExecutor.numbered`).
    var postgresData: PostgresData {
        switch self {
        case .null: .null
        case .integer(let number): PostgresData(int64: number)
        case .text(let text): PostgresData(string: text)
        case .bytes(let bytes): PostgresData(bytes: bytes)
        }
    }

    /// The type a placeholder is cast to, so that PostgreSQL prepares the statement for the type bound.
    var postgresCast: String {
        switch self {
        case .null: ""
        case .integer: "::int8"
        case .text: "::text"
        case .bytes: "::bytea"
        }
    }
}
