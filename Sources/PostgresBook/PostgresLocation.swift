import Bookkeeping
import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL book lives: `postgres://user[:password]@host[:port]/database`, or a Unix socket
/// with `?host=/run/postgresql`. `sslmode=disable|prefer|require` as with libpq (default prefer on a
/// host, none on a socket).
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public let user: String
    let password: String?
    public let host: String
    public let port: Int
    public let database: String
    let socket: String?
    let tls: String

    /// Whether `text` names a PostgreSQL book rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url text: String) throws {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw StorageError(code: .unavailable, message: "not a PostgreSQL URL (postgres://user@host:port/database): \(text)")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        user = url.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = url.password.flatMap { $0.removingPercentEncoding }
        socket = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = url.port ?? 5432
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !path.isEmpty, !path.contains("/") else {
            throw StorageError(code: .unavailable, message: "the PostgreSQL URL names no database: \(text)")
        }
        database = path.removingPercentEncoding ?? path
        tls = query["sslmode"] ?? "prefer"
        guard ["disable", "prefer", "require"].contains(tls) else {
            throw StorageError(code: .unavailable, message: "sslmode must be disable, prefer or require")
        }
    }

    private init(copying other: PostgresLocation, database: String) {
        user = other.user
        password = other.password
        host = other.host
        port = other.port
        socket = other.socket
        tls = other.tls
        self.database = database
    }

    /// The same server, another database.
    public func with(database: String) -> PostgresLocation { PostgresLocation(copying: self, database: database) }

    /// The URL without the password, for messages and logs.
    public var description: String {
        let server = socket.map { "?host=\($0)" } ?? ""
        return "postgres://\(user)@\(host):\(port)/\(database)\(server)"
    }

    /// The settings of one connection outside the pool: the probe made when a book opens.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socket {
            return PostgresConnection.Configuration(unixSocketPath: "\(socket)/.s.PGSQL.\(port)", username: user, password: password,
                                                    database: database)
        }
        let mode: PostgresConnection.Configuration.TLS = switch tls {
        case "disable": .disable
        case "require": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: mode)
    }

    func configuration() -> PostgresClient.Configuration {
        if let socket {
            return PostgresClient.Configuration(unixSocketPath: "\(socket)/.s.PGSQL.\(port)", username: user, password: password,
                                                database: database)
        }
        let mode: PostgresClient.Configuration.TLS = switch tls {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: mode)
    }
}
