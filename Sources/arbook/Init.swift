import ArgumentParser
import Bookkeeping
import Foundation
import Receivables

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new, empty book.")

    @OptionGroup var book: BookOptions

    @Option(help: "The book's default currency (ISO 4217).")
    var currency: String = "CNY"

    @Option(name: .customLong("account"), help: ArgumentHelp(
        "An account code other than the default, as NAME=CODE (repeatable).",
        discussion: "Names: receivables (1122), advances (2203), bank (1002), cash (1001), notes_receivable (1121), revenue (6001), vat_output (2221), discounts (6603), allowance (1231)."))
    var accounts: [String] = []

    func run() async throws {
        try await Failure.run {
            guard let currency = Currency(code: currency) else {
                throw BookError.invalid(field: "currency", reason: "'\(currency)' is not an ISO 4217 currency code")
            }
            var settings = BookSettings(currency: currency)
            for text in accounts {
                let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[1].isEmpty, parts[1].count <= 20,
                      settings.chart.set(parts[0], to: Account(parts[1])) else {
                    throw BookError.invalid(field: "--account", reason: "'\(text)' is not NAME=CODE with a known account name")
                }
            }
            guard await !book.exists() else {
                throw BookError.duplicate(field: "database", value: book.name)
            }
            _ = try await book.open(create: true, settings: settings)
            emit("Created an empty book at \(book.name) (currency \(currency.code)).\n")
        }
    }
}
