import Bookkeeping
import Foundation
import Receivables
import TestBooks
import Testing

/// A whole book copied to every engine is the same book: it ties out, ages the same, keeps its ids.
@Suite struct BookCopyTests {
    func history() async throws -> TestBook {
        let book = try TestBook(.sqlite)
        try await book.customer("K1")
        try await book.customer("K2", terms: "net 60")
        try await book.invoice("F1", "K1", "2026-01-05", "1000.00")
        try await book.invoice("F2", "K2", "2026-02-10", "250.00")
        try await book.receipt("R1", "K1", "2026-02-01", "1200.00", .invoice(DocumentNumber("F1")))
        try await book.receipt("R2", "K2", "2026-03-01", "100.00", .advance)
        return book
    }

    @Test(arguments: Engine.allCases)
    func aCopyTiesOutAgesTheSameAndTakesNewDocumentsAfterward(engine: Engine) async throws {
        let original = try await history()
        let copy = try TestBook(engine)
        let outcome = try await BookCopy(from: original.storage, to: copy.storage, caller: original.caller)
            .run(asOf: TestBook.day("2026-03-31"))
        #expect(outcome.check.passed)
        #expect(outcome.rows.first { $0.table == "invoice" }?.rows == 2)
        #expect(outcome.rows.first { $0.table == "credit" }?.rows == 2)
        #expect(try await copy.aging("2026-02-15") == (try await original.aging("2026-02-15")))
        #expect(try await copy.openOn("F2") == 25_000)
        try await copy.invoice("F3", "K2", "2026-03-10", "5.00")
        try await copy.expectTiesOut()
        // A book is never copied over another.
        await #expect(throws: BookError.invalid(field: "--to", reason: "the target holds a book already; copy into an empty database or a new file")) {
            try await BookCopy(from: original.storage, to: copy.storage, caller: original.caller).run(asOf: TestBook.day("2026-03-31"))
        }
        #expect(try await copy.openOn("F3") == 500)
    }
}
