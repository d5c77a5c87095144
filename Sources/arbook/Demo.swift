import ArgumentParser
import Bookkeeping
import Demo
import Foundation
import Interchange
import Receivables

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a demo book (a few hundred customers, two years of history) and show its aging and a ledger.")

    @OptionGroup var book: BookOptions

    @Option(help: "How many customers.")
    var customers: Int = 300

    @Flag(help: "Replace the file if it exists.")
    var replace = false

    func run() async throws {
        try await Failure.run {
            guard (1...10_000).contains(customers) else {
                throw BookError.invalid(field: "--customers", reason: "must be between 1 and 10000")
            }
            let storage = try await book.fresh(replace: replace)
            let today = Day.today()
            let figures = try await DemoBook(storage: storage, caller: .commandLine).generate(today: today, customers: customers)
            emit("Demo book at \(book.name): \(figures.customers) customers, \(figures.invoices) invoices, "
                 + "\(figures.receipts) receipts, \(figures.creditNotes) credit notes.\n\n")
            let aging = try await Reports(storage: storage, caller: .commandLine).aging(.init(asOf: today))
            emit(AgingFormats.table(aging))
            if let worst = aging.rows.max(by: { ($0.buckets.last?.minorUnits ?? 0) < ($1.buckets.last?.minorUnits ?? 0) }) {
                let ledger = try await Reports(storage: storage, caller: .commandLine).ledger(customer: worst.code, from: today.advanced(by: -180), to: today)
                emit("\n" + LedgerFormats.table(ledger))
            }
            let check = try await BookCheck(storage: storage, caller: .commandLine).run()
            emit("\ncheck: " + (check.passed ? "OK" : "FAILED (\(check.findings.count) differences)") + "\n")
        }
    }
}
