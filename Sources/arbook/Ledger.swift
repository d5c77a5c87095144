import ArgumentParser
import Bookkeeping
import Interchange
import Receivables

struct Ledger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A customer's account: opening balance, each document, running balance, closing balance.")

    @OptionGroup var book: BookOptions

    @Argument(help: "The customer code.")
    var customer: String

    @Option(help: "First day shown; what came before is the opening balance.")
    var from: Day?

    @Option(help: "Last day shown (default today).")
    var to: Day?

    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await Failure.run {
            let ledger = try await Reports(storage: try await book.open(), caller: .commandLine)
                .ledger(customer: Customer.Code(customer), from: from, to: to ?? Day.today())
            switch format {
            case .table: emit(LedgerFormats.table(ledger))
            case .csv: emit(LedgerFormats.csv(ledger))
            case .json: emit(LedgerFormats.json(ledger))
            }
        }
    }
}
