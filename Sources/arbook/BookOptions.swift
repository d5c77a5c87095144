import ArgumentParser
import Bookkeeping
import Foundation
import Receivables
import SQLiteBook

/// The book a command works on.
struct BookOptions: ParsableArguments {
    @Option(name: .long, help: "The book: a SQLite file path (env ARBOOK_DATABASE; default ./arbook.sqlite).")
    var database: String?

    var path: String {
        database ?? ProcessInfo.processInfo.environment["ARBOOK_DATABASE"] ?? "./arbook.sqlite"
    }

    func open(create: Bool = false, settings: BookSettings = BookSettings(), memoryMapped: Int64 = 0) throws -> SQLiteBook {
        try SQLiteBook(path: path, create: create, settings: settings, memoryMapped: memoryMapped)
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

/// Writes to standard output without buffering surprises.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
