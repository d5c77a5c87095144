import Bookkeeping
import Foundation
@_spi(Tampering) import PostgresBook
@_spi(Tampering) import SQLiteBook

/// The engines the storage contract runs on. Every test that takes an `Engine` runs once per case;
/// PostgreSQL when `ARBOOK_TEST_POSTGRES` names a server (`scripts/test` starts one). `TestBook()`
/// without an engine uses `ARBOOK_TEST_ENGINE` (sqlite or postgres): `scripts/test` runs this whole
/// target once more on PostgreSQL.
public enum Engine: String, CaseIterable, Sendable {
    case sqlite
    case postgres

    public static var allCases: [Engine] { postgresServer == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// The maintenance URL of the test server, if there is one.
    public static let postgresServer = ProcessInfo.processInfo.environment["ARBOOK_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    public static var `default`: Engine {
        ProcessInfo.processInfo.environment["ARBOOK_TEST_ENGINE"].flatMap(Engine.init(rawValue:)) ?? .sqlite
    }

    public func makeStorage(settings: BookSettings = BookSettings()) throws -> any BookStorage {
        switch self {
        case .sqlite:
            let folder = try Scratch.folder("book")
            return try SQLiteBook(path: folder.appendingPathComponent("book.sqlite").path, create: true, settings: settings)
        case .postgres:
            return try PostgresBook(url: try Self.freshDatabase(), create: true, settings: settings, connections: 8)
        }
    }

    /// A URL naming a database of its own on the test server (created when the book opens).
    public static func freshDatabase() throws -> String {
        guard let server = postgresServer, var url = URLComponents(string: server) else {
            throw StorageError(code: .unavailable, message: "ARBOOK_TEST_POSTGRES is not set")
        }
        url.path = "/arbook_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        guard let text = url.string else { throw StorageError(code: .unavailable, message: "bad ARBOOK_TEST_POSTGRES") }
        return text
    }
}

/// Runs `sql` on a test book past arbook's rules, on either engine: a book broken on purpose.
public func tamper(_ storage: any BookStorage, _ sql: String) async throws {
    switch storage {
    case let book as SQLiteBook: try await book.tamper(sql)
    case let book as PostgresBook: try await book.tamper(sql)
    default: throw StorageError(code: .unavailable, message: "no way to tamper with \(type(of: storage))")
    }
}
