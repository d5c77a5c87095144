import Bookkeeping
import Foundation
import Interchange
import Receivables
import TestBooks
import Testing

/// Imports large enough for an engine's bulk path (PostgreSQL gathers the rows for COPY and answers the
/// import's reads itself) must leave exactly the book that row-by-row writing leaves: the same issues
/// for bad rows, the same allocations, the same aging on every engine.
@Suite struct LargeImportContractTests {
    let folder: URL = {
        (try? Scratch.folder("large")) ?? FileManager.default.temporaryDirectory
    }()

    func file(_ name: String, _ text: String) -> String {
        let path = folder.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func load(_ book: TestBook, _ kind: ImportKind, _ path: String, autoAllocate: Bool = false) async throws -> ImportOutcome {
        try await Importer(storage: book.storage, caller: book.caller)
            .importFile(kind, path: path, options: .init(autoAllocate: autoAllocate, fileName: path))
    }

    /// 3,000 invoices over 30 customers; receipts naming invoices (some more than is open: advances),
    /// then receipts allocated oldest due first.
    func files() -> (invoices: String, duplicate: String, named: String, auto: String, badReceipts: String) {
        var invoices = "number,customer,issue_date,due_date,amount\n"
        for index in 0..<3_000 {
            invoices += "I\(index),K\(index % 30),2026-0\(index % 6 + 1)-\(index % 18 + 10),,\(index % 700 + 100).\(index % 90 + 10)\n"
        }
        var named = "reference,customer,date,amount,method,invoice\n"
        for index in stride(from: 0, to: 3_000, by: 2) {
            named += "P\(index),K\(index % 30),2026-07-01,\(index % 5 == 0 ? 900 : index % 300 + 50).00,bank,I\(index)\n"
        }
        var auto = "reference,customer,date,amount,method\n"
        for index in 0..<1_500 { auto += "A\(index),K\(index % 30),2026-07-0\(index % 9 + 1),\(index % 400 + 30).55,bank\n" }
        return (file("i.csv", invoices), file("dup.csv", invoices.replacingOccurrences(of: "I2999,", with: "I17,")),
                file("p.csv", named), file("a.csv", auto), file("bad.csv", named.replacingOccurrences(of: ",I1498\n", with: ",NOPE\n")))
    }

    @Test func largeImportsLeaveTheSameBookOnEveryEngine() async throws {
        let paths = files()
        var reports: [String] = []
        for engine in Engine.allCases {
            let book = try TestBook(engine)
            for index in 0..<30 { try await book.customer("K\(index)") }
            // A duplicate number on the last line: named by line, nothing written.
            do {
                _ = try await load(book, .invoices, paths.duplicate)
                Issue.record("\(engine): the duplicate was not refused")
            } catch let failure as ImportFailure {
                #expect(failure.issues.map(\.line) == [3_001], "\(engine)")
                #expect(failure.issues.first?.reason.contains("exists already") == true, "\(engine)")
            }
            #expect(try await book.openOn("I0") == -1, "\(engine)")
            guard case .imported(let invoices) = try await load(book, .invoices, paths.invoices) else {
                Issue.record("\(engine): invoices not imported"); continue
            }
            #expect(invoices.rows == 3_000)
            // A receipt naming an unknown invoice: refused with its line, nothing written.
            do {
                _ = try await load(book, .receipts, paths.badReceipts)
                Issue.record("\(engine): the unknown invoice was not refused")
            } catch let failure as ImportFailure {
                #expect(failure.issues.map(\.line) == [751], "\(engine)")
            }
            guard case .imported = try await load(book, .receipts, paths.named),
                  case .imported(let auto) = try await load(book, .receipts, paths.auto, autoAllocate: true) else {
                Issue.record("\(engine): receipts not imported"); continue
            }
            #expect(auto.rows == 1_500)
            try await book.expectTiesOut()
            // I0 got 900.00 against 100.10: paid, the rest an advance.
            #expect(try await book.openOn("I0") == 0, "\(engine)")
            reports.append(AgingFormats.json(try await book.aging("2026-07-31")) + AgingFormats.json(try await book.aging("2026-05-31")))
            // The book takes ordinary writes after the load (ids go on after the load's).
            try await book.invoice("AFTER-1", "K1", "2026-07-15", "10.00")
            try await book.receipt("AFTER-R", "K1", "2026-07-16", "10.00", .invoice(DocumentNumber("AFTER-1")))
            #expect(try await book.openOn("AFTER-1") == 0, "\(engine)")
            try await book.expectTiesOut()
        }
        #expect(Set(reports).count == 1, "the engines' aging differ")
    }

    @Test func aLargeCustomerFileIsCheckedAsASmallOneIs() async throws {
        var text = "code,name,credit_limit,payment_terms_days\n"
        for index in 0..<2_000 { text += "C\(index),Customer \(index) 有限公司,\(index * 10).00,\(30 + index % 3 * 15)\n" }
        let good = file("c.csv", text), bad = file("cbad.csv", text + "C7,again,0,30\n")
        for engine in Engine.allCases {
            let book = try TestBook(engine)
            do {
                _ = try await load(book, .customers, bad)
                Issue.record("\(engine): the duplicate code was not refused")
            } catch let failure as ImportFailure {
                #expect(failure.issues.map(\.line) == [2_002], "\(engine)")
            }
            #expect(try await book.storage.read { try $0.customerDirectory().count } == 0, "\(engine)")
            guard case .imported(let summary) = try await load(book, .customers, good) else {
                Issue.record("\(engine): customers not imported"); continue
            }
            #expect(summary.rows == 2_000)
            let stored = try #require(try await book.storage.read { try $0.customer(code: Customer.Code("C1999")) })
            #expect(stored.customer.creditLimit.minorUnits == 1_999_000)
            #expect(stored.customer.terms.description == PaymentTerms.net(45).description)
            // Customers added afterwards take ids after the load's.
            let later = try await book.customer("LATER")
            #expect(later.rawValue > stored.id.rawValue)
        }
    }
}
