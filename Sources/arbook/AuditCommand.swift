import ArgumentParser
import Bookkeeping
import Interchange

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit trail, newest first.")

    @OptionGroup var book: BookOptions

    @Option(help: "How many records (at most 500).")
    var limit: Int = 50

    @Option(help: "Only records older than this id (to page back).")
    var before: Int64?

    func run() async throws {
        try await Failure.run {
            let records = try await AuditTrail(storage: try await book.open(), caller: .commandLine).records(limit: limit, before: before)
            var table = TextTable(headers: ["id", "at", "who", "action", "record", "after"],
                                  alignments: [.right, .left, .left, .left, .left, .left])
            for record in records {
                table.append([String(record.id ?? 0), record.at, record.actor, record.action, "\(record.entity) \(record.key)",
                              String((record.after ?? "").prefix(80))])
            }
            emit(table.render())
        }
    }
}
