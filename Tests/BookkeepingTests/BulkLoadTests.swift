import Bookkeeping
import Foundation
import TestBooks
import GRDB
import Receivables
@testable import SQLiteBook
import Testing

/// A large import suspends some index upkeep; the indexes must be back afterwards, whether the
/// import committed or rolled back.
@Suite struct BulkLoadTests {
    static let indexes = ["invoice_customer", "journal_entry_customer", "open_item_open"]

    func setUp() async throws -> (book: TestBook, path: String, folder: URL) {
        let folder = try Scratch.folder("bulk")
        let path = folder.appendingPathComponent("book.sqlite").path
        let book = TestBook(storage: try SQLiteBook(path: path, create: true))
        try await book.customer("K1")
        try await book.customer("K2")
        return (book, path, folder)
    }

    func invoices(_ count: Int, in folder: URL, bad: Bool) -> String {
        var text = "number,customer,issue_date,due_date,amount\n"
        for index in 0..<count { text += "INV\(index),K\(index % 2 + 1),2026-01-\(index % 28 + 1 < 10 ? "0" : "")\(index % 28 + 1),,\(index % 900 + 1).25\n" }
        if bad { text += "INV0,K1,2026-01-01,,1\n" }
        let path = folder.appendingPathComponent("invoices-\(bad).csv").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func indexNames(_ path: String) throws -> Set<String> {
        try DatabaseQueue(path: path).read { db in
            Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
        }
    }

    @Test func onlyLargeLoadsRelativeToTheBookDeferIndexes() {
        #expect(SQLiteTransaction.defers(rows: 60_000, existing: 0))
        #expect(SQLiteTransaction.defers(rows: 60_000, existing: 240_000))
        #expect(!SQLiteTransaction.defers(rows: 60_000, existing: 240_001))
        #expect(!SQLiteTransaction.defers(rows: 49_999, existing: 0))
        #expect(SQLiteTransaction.deferrable(.receipts, autoAllocate: true).indexes.contains("open_item_open") == false)
        #expect(SQLiteTransaction.deferrable(.receipts, autoAllocate: false).indexes.contains("open_item_open"))
    }

    @Test func indexesAreRebuiltAfterALargeImport() async throws {
        let (book, path, folder) = try await setUp()
        let file = invoices(80_000, in: folder, bad: false)
        let bytes = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(bytes / 45 >= SQLiteTransaction.bulkRowsMin, "the file is large enough to take the bulk path")
        let outcome = try await Importer(storage: book.storage, caller: book.caller)
            .importFile(.invoices, path: file, options: .init(fileName: "big"))
        guard case .imported(let summary) = outcome else { Issue.record("not imported"); return }
        #expect(summary.rows == 80_000)
        #expect(try indexNames(path).isSuperset(of: Self.indexes))
        try await book.expectTiesOut()
        // The rebuilt partial index answers the aging query.
        #expect(try await book.aging("2026-12-31").totalBalance.minorUnits > 0)
    }

    @Test func indexesSurviveALargeImportThatFails() async throws {
        let (book, path, folder) = try await setUp()
        await #expect(throws: ImportFailure.self) {
            try await Importer(storage: book.storage, caller: book.caller)
                .importFile(.invoices, path: invoices(80_000, in: folder, bad: true), options: .init(fileName: "bad"))
        }
        #expect(try indexNames(path).isSuperset(of: Self.indexes))
        #expect(try await book.openOn("INV1") == -1)
    }
}
