import ArgumentParser
import Bookkeeping
import Interchange

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit trail: show it, or prove its hash chain.",
                                                    subcommands: [Show.self, Verify.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the audit trail, newest first.")

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

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chains of the audit trail and the journal; exit 1 naming the first broken link when a record, an entry or a line was changed or removed.")

        @OptionGroup var book: BookOptions

        func run() async throws {
            try await Failure.run {
                let result = try await AuditTrail(storage: try await book.open(), caller: .commandLine).verify()
                if let broken = result.brokenAt {
                    let what = broken.chain == .audit ? "audit chain BROKEN at link \(broken.seq) (audit record \(broken.record))"
                                                      : "journal chain BROKEN at seal \(broken.seq) (from entry \(broken.record))"
                    emit("\(what): \(broken.reason)\n")
                    throw ExitCode(1)
                }
                var text = "audit chain intact: \(result.linked) records linked"
                if result.unlinked > 0 { text += ", \(result.unlinked) not yet linked" }
                text += "; journal chain intact: \(result.sealedEntries) entries sealed"
                if result.unsealedEntries > 0 { text += ", \(result.unsealedEntries) not yet sealed" }
                emit(text + "\n")
            }
        }
    }
}
