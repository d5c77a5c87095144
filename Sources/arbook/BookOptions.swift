import ArgumentParser
import Bookkeeping
import Foundation
import Receivables
import PostgresBook
import SQLiteBook

/// The book a command works on: a SQLite file, or a PostgreSQL database named by URL.
struct BookOptions: ParsableArguments {
    @Option(name: .long, help: "The book: a SQLite file path or postgres://user@host:port/database (env ARBOOK_DATABASE; default ./arbook.sqlite).")
    var database: String?

    /// The path or URL as given.
    var path: String {
        database ?? ProcessInfo.processInfo.environment["ARBOOK_DATABASE"] ?? "./arbook.sqlite"
    }

    var location: BookLocation { BookLocation(path: path) }
    var isPostgres: Bool { location.isPostgres }
    var name: String { location.name }

    func open(create: Bool = false, settings: BookSettings = BookSettings(), memoryMapped: Int64 = 0,
              connections: Int = 8) async throws -> any BookStorage {
        try await location.open(create: create, settings: settings, memoryMapped: memoryMapped, connections: connections)
    }

    func exists() async -> Bool { await location.exists() }
    func fresh(replace: Bool) async throws -> any BookStorage { try await location.fresh(replace: replace) }
    func openFile(_ command: String) throws -> SQLiteBook { try location.openFile(command) }
    func requireFile(_ command: String) throws { try location.requireFile(command) }
}

/// A book's place: a SQLite file path, or a PostgreSQL URL.
struct BookLocation {
    let path: String

    var isPostgres: Bool { PostgresLocation.isURL(path) }

    /// The book for messages: a URL without its password.
    var name: String {
        guard isPostgres, let location = try? PostgresLocation(url: path) else { return path }
        return location.description
    }

    /// Opens the book, reporting at once if it cannot be opened. `memoryMapped` is for a SQLite book
    /// (see `SQLiteBook`); `connections` bounds a PostgreSQL book's pool.
    func open(create: Bool = false, settings: BookSettings = BookSettings(), memoryMapped: Int64 = 0,
              connections: Int = 8) async throws -> any BookStorage {
        guard isPostgres else { return try SQLiteBook(path: path, create: create, settings: settings, memoryMapped: memoryMapped) }
        let book = try PostgresBook(url: path, create: create, settings: settings, connections: connections)
        try await book.opened()
        return book
    }

    /// Whether a book exists there already.
    func exists() async -> Bool {
        guard isPostgres else { return FileManager.default.fileExists(atPath: path) }
        return (try? await open()) != nil
    }

    /// A new book for a demo: a SQLite file is replaced when `replace` allows; a PostgreSQL database
    /// must not hold a book (arbook never drops one).
    func fresh(replace: Bool) async throws -> any BookStorage {
        if isPostgres {
            guard await !exists() else {
                throw BookError.duplicate(field: "database", value: name + " (a demo needs a database without a book)")
            }
        } else if FileManager.default.fileExists(atPath: path) {
            guard replace else { throw BookError.duplicate(field: "database", value: path + " (use --replace)") }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        return try await open(create: true)
    }

    /// Refuses a PostgreSQL book for what only the file engine does (online backup, restore).
    func requireFile(_ command: String) throws {
        guard !isPostgres else {
            throw BookError.invalid(field: "--database", reason: "\(command) works on a SQLite book; for PostgreSQL use pg_dump and "
                                    + "pg_restore, or 'arbook copy' to a SQLite file (docs/operations.md)")
        }
    }

    /// The SQLite book, for what only the file engine does.
    func openFile(_ command: String) throws -> SQLiteBook {
        try requireFile(command)
        return try SQLiteBook(path: path)
    }
}

/// Output for people (table) or programs (csv, json).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) {
        guard let day = try? Day.parse(argument) else { return nil }
        self = day
    }

    /// Today in the machine's time zone; ARBOOK_TODAY (YYYY-MM-DD) overrides it for reproducible runs.
    static func today() -> Day {
        if let text = ProcessInfo.processInfo.environment["ARBOOK_TODAY"], let day = try? Day.parse(text) { return day }
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day(ordinal: 0)
    }
}

/// A row's number as the commands that name one take it (a dispute, an outbox message).
extension Identifier: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = Int64(argument), value > 0 else { return nil }
        self.init(value)
    }
}

/// Writes to standard output without buffering surprises.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
