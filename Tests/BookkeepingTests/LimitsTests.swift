import Bookkeeping
import Receivables
import TestBooks
import Testing

/// Amounts at and beyond what the book holds: one document carries at most `Money.documentLimit`
/// (10^13 minor units), anything larger is refused naming the rule and writes nothing, and every read
/// over the largest documents answers (no trap, the sums exact).
@Suite struct LimitsTests {
    static let limit = Money(minorUnits: Money.documentLimit, currency: .cny)
    static let overLimit = "amount is more than one document may carry (100000000000.00)"

    @Test(arguments: Engine.allCases) func aDocumentOverTheLimitIsRefusedByNameAndChangesNothing(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-01", "100")
        let before = try await book.aging("2026-06-30")
        // The amount that crashed the server's landing page, and the first minor unit past the limit.
        for text in ["110000000000000.00", "100000000000.01"] {
            await #expect(throws: BookError.invalid(field: "amount", reason: Self.overLimit)) {
                try await book.invoice("BIG", "K1", "2026-01-02", text)
            }
            #expect(throws: DocumentRejection.amountOverLimit(max: Self.limit)) {
                try CreditNote(number: DocumentNumber("CN"), invoice: DocumentNumber("F1"), day: TestBook.day("2026-01-03"),
                               amount: TestBook.cny(text), reason: "x")
            }
        }
        #expect(throws: DocumentRejection.amountOverLimit(max: Self.limit)) {
            try Receipt(reference: DocumentNumber("R"), customer: Customer.Code("K1"), day: TestBook.day("2026-01-02"),
                        amount: TestBook.cny("100000000000.01"), method: .cash)
        }
        await #expect(throws: BookError.invalid(field: "credit_limit", reason: "credit limit is more than the most arbook holds (100000000000.00)")) {
            try await book.billing.addCustomer(CustomerDraft(code: Customer.Code("K9"), name: "Nine", currency: .cny,
                                                             terms: .net(30), creditLimit: "100000000000.01"))
        }
        #expect(try await book.aging("2026-06-30") == before)
        try await book.expectTiesOut()
    }

    /// Invoices of the largest amount (four overdue three years, one issued in the DSO window), a credit
    /// limit of 1.00: the dashboard (DSO), the customers list (limit used in percent), the ledger, the
    /// aging, the dunning plan and `check` all answer with exact figures.
    @Test(arguments: Engine.allCases) func everyReadAnswersOnTheLargestDocuments(engine: Engine) async throws {
        let book = try TestBook(engine)
        _ = try await book.billing.addCustomer(CustomerDraft(code: Customer.Code("K1"), name: "Large", currency: .cny,
                                                             terms: .net(30), creditLimit: "1.00"))
        for index in 0..<5 { try await book.invoice("F\(index)", "K1", "2023-06-0\(index + 1)", "100000000000.00") }
        try await book.receipt("R1", "K1", "2023-07-01", "100000000000.00", .oldestDueFirst)
        try await book.invoice("F9", "K1", "2026-06-01", "100000000000.00")
        let asOf = TestBook.day("2026-06-30")
        let aging = try await book.aging("2026-06-30")
        #expect(aging.totalOpen.minorUnits == 5 * Money.documentLimit)
        #expect(aging.totalOverdue.minorUnits == 4 * Money.documentLimit)
        // Receivables of five documents over the sales of one in 90 days: 450.0 days.
        let dashboard = try await book.reports.dashboard(asOf: asOf)
        #expect(dashboard.dsoTenths == 4_500)
        let standings = try await book.reports.standings(asOf: asOf, search: "", sort: .balance, page: 0, pageSize: 10)
        #expect(standings.rows.first?.limitUsedPercent == 5 * Money.documentLimit)
        let file = try await book.reports.customerFile(Customer.Code("K1"), today: asOf, ledgerFrom: TestBook.day("2023-01-01"))
        #expect(file.ledger.closing.minorUnits == 5 * Money.documentLimit)
        let ledger = try await book.reports.ledger(customer: Customer.Code("K1"), from: nil, to: asOf)
        #expect(ledger.lines.map(\.balance.minorUnits).max() == 5 * Money.documentLimit)
        let plan = try await Collections(storage: book.storage, caller: book.caller).plan(asOf: asOf)
        // The four overdue invoices, and F9 (due tomorrow) by the standard policy's reminder before the due day.
        #expect(plan.reduce(0) { $0 + $1.notice.chased.minorUnits } == 5 * Money.documentLimit)
        try await book.expectTiesOut()
    }
}

@Suite struct OddBookTests {
    /// A book changed past its rules (an invoice's currency edited in the database) is still planned and
    /// run: the odd item is left out of the customer's account, nothing traps.
    @Test(arguments: Engine.allCases) func anItemInAnotherCurrencyThanItsCustomersIsLeftOutOfDunning(engine: Engine) async throws {
        let book = try TestBook(engine)
        _ = try await book.customer("K1")
        _ = try await book.invoice("F1", "K1", "2026-01-01", "1000")
        _ = try await book.invoice("F2", "K1", "2026-01-02", "500")
        try await tamper(book.storage, "UPDATE invoice SET currency = 'USD' WHERE number = 'F2'")
        let plan = try await Collections(storage: book.storage, caller: book.caller).plan(asOf: TestBook.day("2026-06-30"))
        let invoices = plan.flatMap { $0.notice.lines.map(\.invoice.rawValue) }
        #expect(invoices.contains("F1"))
        #expect(!invoices.contains("F2"))
    }
}
