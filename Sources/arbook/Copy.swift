import ArgumentParser
import Bookkeeping
import Foundation
import Receivables

/// `arbook copy --from A --to B`: the whole book moved between engines (a SQLite file and a PostgreSQL
/// database, either way), then proven: `check` passes on the copy and its aging equals the original's.
struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a whole book between engines (SQLite file ↔ PostgreSQL URL), then verify the copy with check and the aging.")

    @Option(help: "The book to copy: a SQLite file or postgres://user@host:port/database.")
    var from: String

    @Option(help: "Where the copy goes: a new SQLite file, or a PostgreSQL database without a book (created if missing).")
    var to: String

    func run() async throws {
        try await Failure.run {
            let source = BookLocation(path: from), target = BookLocation(path: to)
            guard from != to else { throw BookError.invalid(field: "--to", reason: "the copy must go somewhere else than --from") }
            guard await source.exists() else { throw BookError.notFound(what: "book", key: source.name) }
            if !target.isPostgres, FileManager.default.fileExists(atPath: to) {
                throw BookError.invalid(field: "--to", reason: "\(to) exists; copy into a new file")
            }
            let original = try await source.open()
            let copy = try await target.open(create: true)
            let started = Date(), today = Day.today()
            let outcome = try await BookCopy(from: original, to: copy, caller: .commandLine).run(asOf: today)
            let seconds = Date().timeIntervalSince(started)
            for (table, rows) in outcome.rows where rows > 0 { emit("\(table)\t\(rows)\n") }
            emit(String(format: "Copied %@ to %@ in %.1f s: %d rows; check OK (%d journal entries balance); aging as of %@ identical.\n",
                        source.name, target.name, seconds, outcome.rows.reduce(0) { $0 + $1.rows }, outcome.check.entries,
                        today.description))
        }
    }
}
