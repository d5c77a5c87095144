import ArgumentParser
import Bookkeeping

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove the book ties out: every entry balances; per customer open items = receivables and unapplied credits = advances.")

    @OptionGroup var book: BookOptions

    func run() async throws {
        try await Failure.run {
            let report = try await BookCheck(storage: try await book.open(), caller: .commandLine).run()
            if report.passed {
                emit("OK: \(report.entries) journal entries balance; \(report.customers) customers tie out.\n")
            } else {
                emit(report.findings.map(\.description).joined(separator: "\n") + "\n")
                emit("FAILED: \(report.findings.count) difference(s).\n")
                throw ExitCode(1)
            }
        }
    }
}
