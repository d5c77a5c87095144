import ArgumentParser
import Bookkeeping
import Interchange
import Receivables

struct Aging: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Aging of receivables (账龄) as of any day.")

    @OptionGroup var book: BookOptions

    @Option(help: "The day to age as of (YYYY-MM-DD; default today). Later documents are ignored.")
    var asOf: Day?

    @Option(help: "Age from the due day or the invoice (issue) day.")
    var basis: BasisArgument = BasisArgument(basis: .due)

    @Option(help: "Bucket borders in days, e.g. 30,60,90.")
    var buckets: String = "30,60,90"

    @Option(help: "The currency to report (default the book's).")
    var currency: String?

    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await Failure.run {
            let options = try Reports.AgingOptions.parse(asOf: asOf?.description, basis: basis.basis.rawValue, buckets: buckets,
                                                         currency: currency, today: Day.today()) { "--" + $0.replacingOccurrences(of: "_", with: "-") }
            let report = try await Reports(storage: try await book.open(), caller: .commandLine).aging(options)
            switch format {
            case .table: emit(AgingFormats.table(report))
            case .csv: emit(AgingFormats.csv(report))
            case .json: emit(AgingFormats.json(report))
            }
        }
    }
}

struct BasisArgument: ExpressibleByArgument {
    let basis: AgingBasis
    init(basis: AgingBasis) { self.basis = basis }
    init?(argument: String) {
        guard let basis = AgingBasis(rawValue: argument) else { return nil }
        self.basis = basis
    }
    var defaultValueDescription: String { basis.rawValue }
    static var allValueStrings: [String] { AgingBasis.allCases.map(\.rawValue) }
}
