import Bookkeeping
import Receivables
import TestBooks
import Testing

@Suite struct DashboardTests {
    @Test func dsoIsReceivablesOverTheLastNinetyDaysOfSales() async throws {
        let book = try TestBook()
        try await book.customer("K1")
        try await book.invoice("OLD", "K1", "2026-01-01", "1000")      // outside the window: open, not sales
        try await book.invoice("F1", "K1", "2026-05-01", "600")
        try await book.invoice("F2", "K1", "2026-06-30", "300")
        try await book.receipt("R1", "K1", "2026-06-10", "500", .invoice(DocumentNumber("OLD")))
        let figures = try await book.reports.dashboard(asOf: TestBook.day("2026-06-30"))
        // open 500 + 600 + 300 = 1,400; sales in window 900; 1,400 × 90 / 900 = 140.0 days.
        #expect(figures.dsoTenths == 1400)
        #expect(figures.recentReceipts.map(\.receipt.reference.rawValue) == ["R1"])
        let empty = try await book.reports.dashboard(asOf: TestBook.day("2025-12-31"))
        #expect(empty.dsoTenths == nil)
    }

    @Test func aCollectorsDashboardCountsOnlyTheirCustomers() async throws {
        let book = try TestBook()
        try await book.customer("K1")
        try await book.customer("K2")
        try await book.invoice("F1", "K1", "2026-06-01", "100")
        try await book.invoice("F2", "K2", "2026-06-01", "900")
        try await book.receipt("R2", "K2", "2026-06-05", "50", .invoice(DocumentNumber("F2")))
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        let collector = try await users.add(name: "c", displayName: "", password: "collector pw 1", role: .collector)
        try await users.assign(customers: [Customer.Code("K1")], to: "c")
        let figures = try await book.acting(as: collector.principal).reports.dashboard(asOf: TestBook.day("2026-06-30"))
        #expect(figures.aging.totalBalance.minorUnits == 10_000)
        #expect(figures.dsoTenths == 900)
        #expect(figures.recentReceipts.isEmpty)
    }
}

@Suite struct CustomerFileTests {
    /// 250 movements in the window, five a day: the page lists the latest 200 (whole days), and the
    /// 50 left out are in the opening balance, so the running balance still ends on the closing one.
    @Test func theLedgerListsTheLatestWholeDaysAndCarriesTheRestInTheOpening() async throws {
        let book = try TestBook()
        try await book.customer("K1")
        try await book.invoice("BEFORE", "K1", "2026-01-05", "7")
        let first = TestBook.day("2026-04-01")
        for index in 0..<250 {
            try await book.invoice("F\(index)", "K1", first.advanced(by: index / 5).description, "1")
        }
        let today = first.advanced(by: 60)
        let file = try await book.reports.customerFile(Customer.Code("K1"), today: today, ledgerFrom: today.advanced(by: -90))
        #expect(file.ledger.lines.count == CustomerFile.ledgerLinesShown)
        #expect(file.ledgerLinesNotShown == 50)
        #expect(file.ledger.from == first.advanced(by: 10))
        #expect(file.ledger.opening.minorUnits == 700 + 50 * 100)
        #expect(file.ledger.closing.minorUnits == 700 + 250 * 100)
        #expect(file.openInvoiceCount == 251 && file.openInvoices.count == CustomerFile.openInvoicesShown)
        #expect(file.openInvoices.first?.number == DocumentNumber("BEFORE"))
    }
}

@Suite struct ReceiptProposalTests {
    /// A: two instalments (due 2026-02-01 and 2026-04-02), B: one (due 2026-03-03). 700 received pays
    /// A's first 500 and then 200 of B — item by item, as auto-allocation books it — not A in full.
    @Test(arguments: Engine.allCases) func theCashPageProposesWhatAutoAllocationWouldBook(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1", terms: "50%@30,50%@90")
        try await book.invoice("A", "K1", "2026-01-02", "1000")
        _ = try await book.billing.issueInvoice(InvoiceDraft(number: DocumentNumber("B"), customer: Customer.Code("K1"),
                                                         issue: TestBook.day("2026-02-01"), amount: TestBook.cny("300"),
                                                         due: TestBook.day("2026-03-03")))
        let proposal = try await book.cash.proposal(customer: Customer.Code("K1"), amount: "700")
        let proposed = Dictionary(uniqueKeysWithValues: proposal.invoices.map { ($0.invoice.number.rawValue, $0.proposed.minorUnits) })
        #expect(proposed == ["A": 50_000, "B": 20_000])
        try await book.receipt("R1", "K1", "2026-03-10", "700", .oldestDueFirst)
        #expect(try await book.openOn("A") == 50_000)
        #expect(try await book.openOn("B") == 10_000)
        let none = try await book.cash.proposal(customer: Customer.Code("K1"), amount: "7.001")
        #expect(none.invoices.allSatisfy { $0.proposed.isZero })
    }
}
