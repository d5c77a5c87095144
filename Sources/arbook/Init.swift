import ArgumentParser
import Bookkeeping
import Foundation
import Receivables

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new, empty book.")

    @OptionGroup var book: BookOptions

    @Option(help: "The book's default currency (ISO 4217).")
    var currency: String = "CNY"

    func run() async throws {
        try await Failure.run {
            guard let currency = Currency(code: currency) else {
                throw BookError.invalid(field: "currency", reason: "'\(currency)' is not an ISO 4217 currency code")
            }
            guard !FileManager.default.fileExists(atPath: book.path) else {
                throw BookError.duplicate(field: "database", value: book.path)
            }
            _ = try book.open(create: true, settings: BookSettings(currency: currency))
            emit("Created an empty book at \(book.path) (currency \(currency.code)).\n")
        }
    }
}
