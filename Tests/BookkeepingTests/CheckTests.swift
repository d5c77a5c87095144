import Bookkeeping
import Receivables
import TestBooks
import Foundation
import Testing

/// `check` must find what breaks the book: these tests break a stored book behind arbook's back.
@Suite struct CheckTests {
    func tampered(_ engine: Engine, _ sql: String) async throws -> CheckReport {
        let book = try TestBook(engine)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.receipt("R1", "K1", "2026-01-20", "150", .invoice(DocumentNumber("F1")))
        try await book.expectTiesOut()
        try await tamper(book.storage, sql)
        return try await BookCheck(storage: book.storage, caller: book.caller).run()
    }

    @Test(arguments: Engine.allCases)
    func anOpenAmountChangedBehindTheJournalIsFound(engine: Engine) async throws {
        let report = try await tampered(engine, "UPDATE open_item SET amount_open = 100")
        #expect(report.findings.contains { if case .receivablesDiffer = $0 { true } else { false } })
        #expect(report.findings.contains { if case .itemOutOfStep(_, 100, 0) = $0 { true } else { false } })
    }

    @Test(arguments: Engine.allCases)
    func anUnbalancedEntryIsFound(engine: Engine) async throws {
        let report = try await tampered(engine, "INSERT INTO journal_line (entry_id, line_no, account, customer_id, amount) VALUES (1, 9, '1122', 1, 5)")
        #expect(report.findings.contains(.unbalancedEntry(entry: JournalEntry.ID(1), document: "F1", difference: 5)))
        #expect(report.findings.contains { if case .receivablesDiffer = $0 { true } else { false } })
    }

    @Test(arguments: Engine.allCases)
    func anUnappliedAmountChangedBehindTheJournalIsFound(engine: Engine) async throws {
        let report = try await tampered(engine, "UPDATE credit SET amount_unapplied = 0")
        #expect(report.findings.contains { if case .advancesDiffer(_, 0, 5000) = $0 { true } else { false } })
        #expect(report.findings.contains { if case .creditOutOfStep = $0 { true } else { false } })
    }
}

extension TestBook {
    init(storage: any BookStorage) { self.storage = storage }
}

@Suite struct ChartTests {
    @Test(arguments: Engine.allCases)
    func entriesGoToTheBooksOwnAccountCodes(engine: Engine) async throws {
        var settings = BookSettings()
        _ = settings.chart.set("receivables", to: Account("112201"))
        _ = settings.chart.set("bank", to: Account("100201"))
        let book = TestBook(storage: try engine.makeStorage(settings: settings))
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.receipt("R1", "K1", "2026-01-20", "60", .invoice(DocumentNumber("F1")))
        let accounts = try await book.storage.read { reader in
            let ids = try reader.journalEntryIDs(from: TestBook.day("2026-01-01"), to: TestBook.day("2026-12-31"), after: JournalEntry.ID(0), limit: 100)
            return Set(try reader.journalEntries(ids).flatMap { $0.entry.lines.map(\.account.code) })
        }
        #expect(accounts == ["100201", "112201", "6001"])
        try await book.expectTiesOut()
        #expect(try await book.aging("2026-01-31").row("K1")?.balance.minorUnits == 4000)
    }
}

@Suite struct AuditStorageTests {
    @Test(arguments: Engine.allCases)
    func theAuditTrailCannotBeEditedOrDeleted(engine: Engine) async throws {
        let book = try TestBook(engine)
        try await book.customer("K1")
        // The schema itself refuses (a trigger on each engine): a constraint, not any failure.
        let refused = { (error: any Error) in (error as? StorageError)?.code == .constraint }
        await #expect { try await tamper(book.storage, "UPDATE audit SET actor = 'x'") } throws: { refused($0) }
        await #expect { try await tamper(book.storage, "DELETE FROM audit") } throws: { refused($0) }
        let trail = try await AuditTrail(storage: book.storage, caller: book.caller).records()
        #expect(trail.map(\.actor) == ["cli"])
    }
}
