import ArgumentParser
import Bookkeeping
import Receivables

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import customers, invoices or receipts from a CSV file (UTF-8 or GB18030), all or nothing.")

    @OptionGroup var book: BookOptions

    @Argument(help: "What the file holds: customers, invoices or receipts.")
    var kind: ImportKindArgument

    @Argument(help: "The CSV or tab-separated file.")
    var file: String

    @Flag(help: "Apply receipts that name no invoice to the customer's oldest-due open items.")
    var autoAllocate = false

    @Flag(help: "Check the whole file and report, but write nothing.")
    var dryRun = false

    func run() async throws {
        try await Failure.run {
            let importer = Importer(storage: try await book.open(), caller: .commandLine)
            let outcome = try await importer.importFile(kind.kind, path: file,
                                                        options: .init(autoAllocate: autoAllocate, fileName: file, dryRun: dryRun))
            switch outcome {
            case .alreadyImported(let batch):
                emit("\(file) was imported already (\(batch.rows) \(batch.kind) on \(batch.importedAt)); nothing imported.\n")
            case .checked(let summary):
                emit("\(file) is good: \(summary.rows) \(summary.kind.rawValue) would be imported (\(summary.encoding)); nothing written.\n")
            case .imported(let summary):
                var text = "Imported \(summary.rows) \(summary.kind.rawValue) from \(file) (\(summary.encoding)).\n"
                for (currency, applied) in summary.applied.sorted(by: { $0.key.code < $1.key.code }) {
                    text += "  \(currency.code): \(applied.groupedDecimalString) applied to invoices, "
                        + "\((summary.unapplied[currency] ?? .zero(currency)).groupedDecimalString) left as advances\n"
                }
                emit(text)
            }
        }
    }
}

struct ImportKindArgument: ExpressibleByArgument {
    let kind: ImportKind
    init?(argument: String) {
        guard let kind = ImportKind(rawValue: argument) else { return nil }
        self.kind = kind
    }
    static var allValueStrings: [String] { ImportKind.allCases.map(\.rawValue) }
}
