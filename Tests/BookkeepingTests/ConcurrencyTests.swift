import Bookkeeping
import Receivables
import TestBooks
import Testing

/// Many writers at once: group commit runs them together, each in its own savepoint.
@Suite struct ConcurrencyTests {
    @Test(arguments: Engine.allCases)
    func concurrentReceiptsAgainstSharedInvoicesApplyExactlyOnce(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        for index in 0..<8 { try await book.invoice("F\(index)", "K1", "2026-01-10", "100") }
        // 200 receipts of 5.00, each naming one of 8 invoices of 100.00: 25 per invoice would be 125.00,
        // so some receipts find their invoice paid and keep their money as an advance.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    _ = try await book.receipt("R\(index)", "K1", "2026-02-01", "5", .invoice(DocumentNumber("F\(index % 8)")))
                }
            }
            try await group.waitForAll()
        }
        // Then duplicates beside good receipts: each duplicate fails alone, its batch-mates are kept.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    await #expect(throws: BookError.duplicate(field: "reference", value: "R\(index)")) {
                        try await book.receipt("R\(index)", "K1", "2026-02-01", "5", .invoice(DocumentNumber("F0")))
                    }
                }
                group.addTask { _ = try await book.receipt("A\(index)", "K1", "2026-02-01", "5") }
            }
            try await group.waitForAll()
        }
        let aging = try await book.aging("2026-02-01")
        #expect(aging.row("K1")?.buckets.allSatisfy(\.isZero) == true)
        #expect(aging.row("K1")?.unapplied.minorUnits == 30_000) // 1,000.00 + 100.00 received − 800.00 applied
        for index in 0..<8 { #expect(try await book.openOn("F\(index)") == 0) }
        try await book.expectTiesOut()
    }
}
