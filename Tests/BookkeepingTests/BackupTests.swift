import Bookkeeping
import Foundation
import TestBooks
import Receivables
import SQLiteBook
import Testing

@Suite struct BackupTests {
    /// Receipts keep being written while backups are taken: every backup is a book that ties out,
    /// holding some prefix of the receipts.
    @Test func aBackupTakenDuringWritesIsConsistent() async throws {
        let book = try TestBook(.sqlite)
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-01", "100000")
        let storage = try #require(book.storage as? SQLiteBook)
        let writer = Task {
            for index in 0..<200 {
                try await book.receipt("R\(index)", "K1", "2026-02-01", "1.00", .invoice(DocumentNumber("F1")))
            }
        }
        var seen: [Int64] = []
        for round in 0..<4 {
            let path = try Scratch.folder("backup").appendingPathComponent("\(round).sqlite").path
            try storage.backup(to: path)
            let copy = try SQLiteBook(path: path)
            let report = try await BookCheck(storage: copy, caller: book.caller).run()
            #expect(report.passed, "backup \(round): \(report.findings)")
            let open = try await copy.read { try $0.openItems(invoice: Invoice.ID(1)).reduce(Int64(0)) { $0 + $1.open.minorUnits } }
            let receipts = (10_000_000 - open) / 100
            #expect((0...200).contains(receipts))
            seen.append(receipts)
            try copy.close()
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        try await writer.value
        #expect(seen == seen.sorted(), "later backups hold at least what earlier ones did")
    }
}
