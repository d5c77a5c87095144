import Bookkeeping
import Receivables
import TestBooks
import Testing

/// The storage contract: every test runs unchanged on every engine.
@Suite struct LedgerContractTests {
    @Test(arguments: Engine.allCases)
    func anInvoiceBecomesOpenItemsAndABalancedEntry(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1", terms: "30%@0,70%@60")
        let invoice = try await book.invoice("F1", "K1", "2026-01-10", "100.01")
        #expect(invoice.invoice.schedule.map(\.amount.minorUnits) == [3000, 7001])
        #expect(try await book.openOn("F1") == 10_001)
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func duplicatesAreRefusedAndChangeNothing(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        await #expect(throws: BookError.duplicate(field: "code", value: "K1")) { try await book.customer("K1") }
        try await book.invoice("F1", "K1", "2026-01-10", "50")
        await #expect(throws: BookError.duplicate(field: "number", value: "F1")) { try await book.invoice("F1", "K1", "2026-01-11", "70") }
        #expect(try await book.openOn("F1") == 5000)
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func aReceiptNamingAnInvoicePaysItAndKeepsTheRestAsAnAdvance(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        let credit = try await book.receipt("R1", "K1", "2026-02-01", "130", .invoice(DocumentNumber("F1")))
        #expect(credit.unapplied == TestBook.cny("30"))
        #expect(try await book.openOn("F1") == 0)
        let aging = try await book.aging("2026-02-01")
        #expect(aging.row("K1")?.unapplied.minorUnits == 3000)
        #expect(aging.row("K1")?.balance.minorUnits == -3000)
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func anAdvanceIsAppliedLaterOnTheLaterDay(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.receipt("ADV1", "K1", "2026-01-05", "80")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        let records = try await book.cash.allocate(credit: .receipt, reference: DocumentNumber("ADV1"), to: DocumentNumber("F1"), amount: nil)
        #expect(records.map(\.day) == [TestBook.day("2026-01-10")])
        #expect(records.map(\.amount) == [TestBook.cny("80")])
        #expect(try await book.openOn("F1") == 2000)
        // As of the 8th the money was an advance and the invoice did not exist yet.
        let before = try await book.aging("2026-01-08")
        #expect(before.row("K1")?.unapplied.minorUnits == 8000)
        #expect(before.row("K1")?.buckets.map(\.minorUnits) == [0, 0, 0, 0, 0])
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func allocatingMoreThanOpenIsRejectedAndChangesNothing(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.receipt("ADV1", "K1", "2026-01-12", "500")
        await #expect(throws: BookError.allocation(.exceedsOpenAmount(open: TestBook.cny("100")))) {
            try await book.cash.allocate(credit: .receipt, reference: DocumentNumber("ADV1"), to: DocumentNumber("F1"),
                                         amount: TestBook.cny("100.01"))
        }
        await #expect(throws: BookError.allocation(.amountNotPositive)) {
            try await book.cash.allocate(credit: .receipt, reference: DocumentNumber("ADV1"), to: DocumentNumber("F1"),
                                         amount: TestBook.cny("0"))
        }
        #expect(try await book.openOn("F1") == 10_000)
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func anotherCustomersInvoiceCannotBePaid(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.customer("K2")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        await #expect(throws: BookError.invalid(field: "invoice", reason: "invoice F1 belongs to another customer")) { try await book.receipt("R1", "K2", "2026-01-11", "10", .invoice(DocumentNumber("F1"))) }
        try await book.receipt("ADV2", "K2", "2026-01-11", "10")
        await #expect(throws: BookError.allocation(.customerMismatch)) {
            try await book.cash.allocate(credit: .receipt, reference: DocumentNumber("ADV2"), to: DocumentNumber("F1"), amount: nil)
        }
        #expect(try await book.openOn("F1") == 10_000)
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func documentsInAnotherCurrencyAreRefused(engine: Engine) async throws {
        let book = try TestBook(engine)
        let usd = Currency(code: "USD")!
        try await book.customer("K1")
        await #expect(throws: BookError.currencyMismatch(field: "currency", expected: .cny, got: usd)) {
            try await book.billing.issueInvoice(InvoiceDraft(number: DocumentNumber("F1"), customer: Customer.Code("K1"),
                                                             issue: TestBook.day("2026-01-01"), amount: Money(minorUnits: 5, currency: usd)))
        }
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func creditNotesLowerTheInvoiceAndNeverExceedIt(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.receipt("R1", "K1", "2026-01-20", "70", .invoice(DocumentNumber("F1")))
        // 30 is open; a credit note of 50 clears it and leaves 20 as the customer's credit.
        let note = try await book.billing.issueCreditNote(CreditNote(number: DocumentNumber("C1"), invoice: DocumentNumber("F1"),
                                                                     day: TestBook.day("2026-01-25"), amount: TestBook.cny("50"), reason: "退货"))
        #expect(note.unapplied == TestBook.cny("20"))
        #expect(try await book.openOn("F1") == 0)
        await #expect(throws: BookError.invalid(field: "amount", reason: "credit notes would exceed the invoice; 50.00 can still be credited")) {
            try await book.billing.issueCreditNote(CreditNote(number: DocumentNumber("C2"), invoice: DocumentNumber("F1"),
                                                              day: TestBook.day("2026-01-26"), amount: TestBook.cny("50.01"), reason: "more"))
        }
        await #expect(throws: BookError.invalid(field: "day", reason: "a credit note cannot be dated before its invoice (2026-01-10)")) {
            try await book.billing.issueCreditNote(CreditNote(number: DocumentNumber("C3"), invoice: DocumentNumber("F1"),
                                                              day: TestBook.day("2026-01-09"), amount: TestBook.cny("1"), reason: "early"))
        }
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func anAllocationIsReversedOnceAndTheItemReopens(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.receipt("ADV1", "K1", "2026-01-12", "100")
        let records = try await book.cash.allocate(credit: .receipt, reference: DocumentNumber("ADV1"), to: DocumentNumber("F1"), amount: nil)
        let id = try #require(records.first?.id)
        await #expect(throws: BookError.allocation(.dayBeforeDocuments)) { try await book.cash.reverseAllocation(id, day: TestBook.day("2026-01-11"), reason: "wrong") }
        await #expect(throws: BookError.invalid(field: "reason", reason: "a reason is required")) { try await book.cash.reverseAllocation(id, day: TestBook.day("2026-02-01"), reason: " ") }
        _ = try await book.cash.reverseAllocation(id, day: TestBook.day("2026-02-01"), reason: "wrong invoice")
        await #expect(throws: BookError.allocation(.alreadyReversed)) { try await book.cash.reverseAllocation(id, day: TestBook.day("2026-02-02"), reason: "again") }
        #expect(try await book.openOn("F1") == 10_000)
        // As of January the allocation stands; as of February it is undone.
        #expect(try await book.aging("2026-01-31").row("K1") == nil)
        #expect(try await book.aging("2026-02-01").row("K1")?.unapplied.minorUnits == 10_000)
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func aBouncedReceiptIsReversedWithItsAllocations(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.receipt("R1", "K1", "2026-01-15", "150", .invoice(DocumentNumber("F1")), method: .cheque)
        let reversed = try await book.cash.reverseReceipt(DocumentNumber("R1"), day: TestBook.day("2026-01-20"), reason: "退票")
        #expect(reversed.reversedOn == TestBook.day("2026-01-20"))
        #expect(reversed.unapplied == TestBook.cny("0"))
        #expect(try await book.openOn("F1") == 10_000)
        await #expect(throws: BookError.alreadyReversed(what: "receipt", key: "R1")) { try await book.cash.reverseReceipt(DocumentNumber("R1"), day: TestBook.day("2026-01-21"), reason: "x") }
        let during = try await book.aging("2026-01-16")
        #expect(during.row("K1")?.unapplied.minorUnits == 5000)
        #expect(during.row("K1")?.balance.minorUnits == -5000)
        #expect(try await book.aging("2026-01-20").row("K1")?.balance.minorUnits == 10_000)
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func agingAsOfLastMonthIgnoresLaterReceipts(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-01", "100", due: "2026-01-31")
        try await book.invoice("F2", "K1", "2026-03-20", "40", due: "2026-04-19")
        try await book.receipt("R1", "K1", "2026-04-05", "100", .invoice(DocumentNumber("F1")))
        let march = try await book.aging("2026-03-31")
        #expect(march.row("K1")?.buckets.map(\.minorUnits) == [4000, 0, 10_000, 0, 0]) // 59 days overdue
        let april = try await book.aging("2026-04-30")
        #expect(april.row("K1")?.buckets.map(\.minorUnits) == [0, 4000, 0, 0, 0])
        let byIssue = try await book.aging("2026-03-31", basis: .invoice)
        #expect(byIssue.row("K1")?.buckets.map(\.minorUnits) == [0, 4000, 0, 10_000, 0])
        #expect(try await book.aging("2025-12-31").rows.isEmpty)
    }

    @Test(arguments: Engine.allCases)
    func theLedgerRunsFromOpeningToClosing(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-01", "100")
        try await book.invoice("F2", "K1", "2026-02-01", "50")
        try await book.receipt("R1", "K1", "2026-02-10", "120", .invoice(DocumentNumber("F1")))
        try await book.receipt("ADV", "K1", "2026-03-01", "10")
        let ledger = try await book.reports.ledger(customer: Customer.Code("K1"), from: TestBook.day("2026-02-01"), to: TestBook.day("2026-02-28"))
        #expect(ledger.opening.minorUnits == 10_000)
        #expect(ledger.lines.map(\.document) == ["F2", "R1"])
        #expect(ledger.lines.map(\.balance.minorUnits) == [15_000, 3000])
        #expect(ledger.closing.minorUnits == 3000)
        let all = try await book.reports.ledger(customer: Customer.Code("K1"), from: nil, to: TestBook.day("2026-12-31"))
        #expect(all.closing.minorUnits == 2000)
        await #expect(throws: BookError.notFound(what: "customer", key: "NOPE")) { try await book.reports.ledger(customer: Customer.Code("NOPE"), from: nil, to: TestBook.day("2026-01-01")) }
    }
}

@Suite struct ChosenAllocationTests {
    @Test(arguments: Engine.allCases)
    func aReceiptAppliesTheAmountsChosenPerInvoice(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.invoice("F2", "K1", "2026-01-20", "50")
        let chosen: ReceiptApplication = .invoices([InvoiceAmount(invoice: DocumentNumber("F2"), amount: TestBook.cny("50")),
                                                   InvoiceAmount(invoice: DocumentNumber("F1"), amount: TestBook.cny("30"))])
        let credit = try await book.receipt("R1", "K1", "2026-02-01", "100", chosen)
        #expect(credit.unapplied == TestBook.cny("20"))
        #expect(try await book.openOn("F1") == 7000)
        #expect(try await book.openOn("F2") == 0)
        try await book.expectTiesOut()
    }

    @Test(arguments: Engine.allCases)
    func chosenAmountsBeyondWhatIsOpenOrReceivedAreRefused(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.customer("K2")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.invoice("F2", "K1", "2026-01-20", "50")
        try await book.invoice("G1", "K2", "2026-01-20", "50")
        // More than the item has open, more than the receipt brings, another customer's invoice (hidden
        // as if it did not exist), a negative amount.
        let cases: [([(String, String)], BookError)] = [
            ([("F1", "100.01")], .allocation(.exceedsOpenAmount(open: TestBook.cny("100")))),
            ([("F1", "80"), ("F2", "30")], .allocation(.exceedsUnappliedCredit(unapplied: TestBook.cny("100")))),
            ([("G1", "10")], .notFound(what: "invoice", key: "G1")),
            ([("F1", "-1")], .invalid(field: "allocations", reason: "amount for F1 must be positive and in CNY")),
        ]
        for (index, (amounts, expected)) in cases.enumerated() {
            let chosen = ReceiptApplication.invoices(amounts.map { InvoiceAmount(invoice: DocumentNumber($0.0), amount: TestBook.cny($0.1)) })
            await #expect(throws: expected) { try await book.receipt("R\(index)", "K1", "2026-02-01", "100", chosen) }
        }
        #expect(try await book.openOn("F1") == 10_000)
        try await book.expectTiesOut()
    }
}
