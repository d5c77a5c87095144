import Bookkeeping
import Foundation
import PostgresBook
import SQLiteBook

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

    public func makeStorage() throws -> any BookStorage {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbook-book-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try SQLiteBook(path: folder.appendingPathComponent("book.sqlite").path, create: true)
        case .postgres:
            return try PostgresBook(url: try Self.freshDatabase(), create: true, connections: 8)
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

