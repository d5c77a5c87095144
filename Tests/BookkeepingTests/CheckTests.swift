import Bookkeeping
import GRDB
import Receivables
import SQLiteBook
import Foundation
import Testing

/// `check` must find what breaks the book: these tests break a stored book behind arbook's back.
@Suite struct CheckTests {
    func tampered(_ sql: String) async throws -> CheckReport {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbook-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("book.sqlite").path
        let book = TestBook(storage: try SQLiteBook(path: path, create: true))
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.receipt("R1", "K1", "2026-01-20", "150", .invoice(DocumentNumber("F1")))
        try await book.expectTiesOut()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: sql) }
        return try await BookCheck(storage: book.storage, caller: book.caller).run()
    }

    @Test func anOpenAmountChangedBehindTheJournalIsFound() async throws {
        let report = try await tampered("UPDATE open_item SET amount_open = 100")
        #expect(report.findings.contains { if case .receivablesDiffer = $0 { true } else { false } })
        #expect(report.findings.contains { if case .itemOutOfStep(_, 100, 0) = $0 { true } else { false } })
    }

    @Test func anUnbalancedEntryIsFound() async throws {
        let report = try await tampered("INSERT INTO journal_line (entry_id, line_no, account, customer_id, amount) VALUES (1, 9, '1122', 1, 5)")
        #expect(report.findings.contains(.unbalancedEntry(entry: 1, document: "F1", difference: 5)))
        #expect(report.findings.contains { if case .receivablesDiffer = $0 { true } else { false } })
    }

    @Test func anUnappliedAmountChangedBehindTheJournalIsFound() async throws {
        let report = try await tampered("UPDATE credit SET amount_unapplied = 0")
        #expect(report.findings.contains { if case .advancesDiffer(_, 0, 5000) = $0 { true } else { false } })
        #expect(report.findings.contains { if case .creditOutOfStep = $0 { true } else { false } })
    }
}

extension TestBook {
    init(storage: any BookStorage) { self.storage = storage }
}

@Suite struct ChartTests {
    @Test func entriesGoToTheBooksOwnAccountCodes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbook-chart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("book.sqlite").path
        var settings = BookSettings()
        _ = settings.chart.set("receivables", to: Account("112201"))
        _ = settings.chart.set("bank", to: Account("100201"))
        let book = TestBook(storage: try SQLiteBook(path: path, create: true, settings: settings))
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.receipt("R1", "K1", "2026-01-20", "60", .invoice(DocumentNumber("F1")))
        let accounts = try await DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT account FROM journal_line ORDER BY account")
        }
        #expect(accounts == ["100201", "112201", "6001"])
        try await book.expectTiesOut()
        #expect(try await book.aging("2026-01-31").row("K1")?.balance == 4000)
    }
}

@Suite struct AuditStorageTests {
    @Test func theAuditTrailCannotBeEditedOrDeleted() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbook-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("book.sqlite").path
        let book = TestBook(storage: try SQLiteBook(path: path, create: true))
        try await book.customer("K1")
        let queue = try DatabaseQueue(path: path)
        await #expect(throws: (any Error).self) { try await queue.write { try $0.execute(sql: "UPDATE audit SET actor = 'x'") } }
        await #expect(throws: (any Error).self) { try await queue.write { try $0.execute(sql: "DELETE FROM audit") } }
        #expect(try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit WHERE actor = 'cli'") } == 1)
    }
}
