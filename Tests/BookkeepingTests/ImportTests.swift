import Bookkeeping
import Foundation
import TestBooks
import Receivables
import Testing

@Suite struct ImportTests {
    let folder: URL = {
        (try? Scratch.folder("import")) ?? FileManager.default.temporaryDirectory
    }()

    func file(_ text: String, _ name: String = UUID().uuidString + ".csv") -> String {
        let path = folder.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func run(_ book: TestBook, _ kind: ImportKind, _ path: String, autoAllocate: Bool = false) async throws -> ImportOutcome {
        try await Importer(storage: book.storage, caller: book.caller)
            .importFile(kind, path: path, options: .init(autoAllocate: autoAllocate, fileName: path))
    }

    func failure(_ book: TestBook, _ kind: ImportKind, _ text: String) async -> ImportFailure? {
        do {
            _ = try await run(book, kind, file(text))
            return nil
        } catch let failure as ImportFailure {
            return failure
        } catch {
            return nil
        }
    }

    static let customers = """
        客户编码,客户名称,信用额度,账期天数,币种,分类,邮箱,电话,多余列
        K1,上海华盛机械有限公司,"100,000.00",30,CNY,VIP,ar@huasheng.cn,021-1,x
        K2,北京恒通,0,60,,normal,,,
        """

    @Test func customersWithChineseHeadersInAnyOrder() async throws {
        let book = try TestBook()
        guard case .imported(let summary) = try await run(book, .customers, file(Self.customers)) else {
            Issue.record("not imported")
            return
        }
        #expect(summary.rows == 2)
        let k1 = try #require(try await book.storage.read { try $0.customer(code: Customer.Code("K1")) })
        #expect(k1.customer.creditLimit == TestBook.cny("100000"))
        #expect(k1.customer.terms == .net(30))
        #expect(k1.customer.name == "上海华盛机械有限公司")
        let k2 = try #require(try await book.storage.read { try $0.customer(code: Customer.Code("K2")) })
        #expect(k2.customer.terms == .net(60))
    }

    @Test func sameFileTwiceImportsOnce() async throws {
        let book = try TestBook()
        let path = file(Self.customers)
        guard case .imported = try await run(book, .customers, path) else { Issue.record("first import"); return }
        guard case .alreadyImported(let batch) = try await run(book, .customers, path) else { Issue.record("second import"); return }
        #expect(batch.rows == 2)
        #expect(try await book.storage.read { try $0.customerDirectory() }.count == 2)
    }

    @Test func everyBadRowIsReportedAndNothingIsImported() async throws {
        let book = try TestBook()
        _ = try await run(book, .customers, file(Self.customers))
        let text = """
            number,customer,issue_date,due_date,amount,currency
            F1,K1,2026-01-10,,100.00,
            F2,K9,2026-01-10,,100.00,
            F3,K1,2026-02-30,,100.00,
            F4,K1,2026-01-10,,12.345,
            F1,K1,2026-01-11,,5,
            F6,K1,2026-01-10,2026-01-01,5,
            F7,K1,2026-01-10,,5,USD
            F8,K1,2026-01-10,,-5,
            ,K1,2026-01-10,,5,
            """
        let failure = try #require(await failure(book, .invoices, text))
        #expect(failure.issueCount == 8)
        #expect(failure.issues.map(\.line) == [3, 4, 5, 6, 7, 8, 9, 10])
        #expect(failure.issues.map(\.column) == ["customer", "issue_date", "amount", "number", "due_date", "currency", "amount", "number"])
        #expect(failure.issues[0].reason.contains("unknown customer 'K9'"))
        #expect(failure.issues[3].reason.contains("exists already"))
        #expect(try await book.openOn("F1") == -1)
        try await book.expectTiesOut()
    }

    @Test func aMissingRequiredColumnIsNamed() async throws {
        let book = try TestBook()
        let failure = try #require(await failure(book, .customers, "code,credit_limit\nK1,5\n"))
        #expect(failure.issues.map(\.column) == ["name"])
        #expect(failure.issues.first?.line == 1)
    }

    @Test func anEmptyDueDateComesFromTheCustomersTerms() async throws {
        let book = try TestBook()
        _ = try await run(book, .customers, file("code,name,payment_terms\nK1,甲,eom 30\n"))
        _ = try await run(book, .invoices, file("发票号,客户编码,开票日期,到期日,金额\nF1,K1,2026/1/15,,\"1,000.00\"\n"))
        let stored = try #require(try await book.storage.read { try $0.invoice(number: DocumentNumber("F1")) })
        #expect(stored.invoice.schedule.map(\.due) == [TestBook.day("2026-03-02")])
        #expect(stored.invoice.amount == TestBook.cny("1000"))
    }

    @Test func receiptsApplyInFileOrderAndKeepTheRestAsAdvances() async throws {
        let book = try TestBook()
        _ = try await run(book, .customers, file("code,name\nK1,甲\nK2,乙\n"))
        _ = try await run(book, .invoices, file("""
            number,customer,issue_date,due_date,amount
            F1,K1,2026-01-10,2026-02-10,100
            F2,K1,2026-01-01,2026-01-31,50
            F3,K2,2026-03-01,2026-03-31,80
            """))
        let outcome = try await run(book, .receipts, file("""
            收款单号,客户编码,收款日期,金额,收款方式,核销发票号
            R1,K1,2026-02-01,60,银行转账,F1
            R2,K1,2026-02-02,60,微信,F1
            R3,K1,2026-02-03,20,现金,
            R4,K2,2026-02-15,30,支付宝,F3
            """), autoAllocate: true)
        guard case .imported(let summary) = outcome else { Issue.record("not imported"); return }
        // R1 60 + R2 40 on F1 (20 left as advance), R3 auto-applied to F2 (oldest due), R4 on F3 from its issue day.
        #expect(summary.applied[.cny] == Money(minorUnits: 15_000, currency: .cny))
        #expect(summary.unapplied[.cny] == Money(minorUnits: 2000, currency: .cny))
        #expect(try await book.openOn("F1") == 0)
        #expect(try await book.openOn("F2") == 3000)
        #expect(try await book.openOn("F3") == 5000)
        let february = try await book.aging("2026-02-20")
        #expect(february.row("K2")?.unapplied.minorUnits == 3000)
        #expect(february.row("K2")?.buckets.map(\.minorUnits) == [0, 0, 0, 0, 0])
        try await book.expectTiesOut()
    }

    @Test func withoutAutoAllocateAReceiptNamingNoInvoiceStaysAnAdvance() async throws {
        let book = try TestBook()
        _ = try await run(book, .customers, file("code,name\nK1,甲\n"))
        _ = try await run(book, .invoices, file("number,customer,issue_date,amount\nF1,K1,2026-01-10,100\n"))
        _ = try await run(book, .receipts, file("reference,customer,date,amount,method,invoice\nR1,K1,2026-02-01,60,,\n"))
        #expect(try await book.openOn("F1") == 10_000)
        #expect(try await book.aging("2026-02-01").row("K1")?.unapplied.minorUnits == 6000)
    }

    @Test func badReceiptRowsAreNamed() async throws {
        let book = try TestBook()
        _ = try await run(book, .customers, file("code,name\nK1,甲\nK2,乙\n"))
        _ = try await run(book, .invoices, file("number,customer,issue_date,amount\nF1,K1,2026-01-10,100\n"))
        let failure = try #require(await failure(book, .receipts, """
            reference,customer,date,amount,method,invoice
            R1,K1,2026-02-01,60,bitcoin,F1
            R2,K1,2026-02-01,60,cash,F9
            R3,K2,2026-02-01,60,cash,F1
            R4,K1,tomorrow,60,cash,
            R4,K1,2026-02-01,0,cash,
            """))
        #expect(failure.issues.map(\.column) == ["method", "row", "invoice", "date", "amount"])
        #expect(try await book.openOn("F1") == 10_000)
    }

    @Test func aGB18030FileFromExcelImports() async throws {
        let book = try TestBook()
        let text = "客户编码\t客户名称\t账期天数\r\nK1\t上海华盛机械有限公司\t45\r\n"
        let bytes = try #require(gb18030(text))
        let path = folder.appendingPathComponent("gb.csv").path
        _ = FileManager.default.createFile(atPath: path, contents: bytes)
        guard case .imported(let summary) = try await run(book, .customers, path) else { Issue.record("not imported"); return }
        #expect(summary.encoding == "GB18030")
        let k1 = try #require(try await book.storage.read { try $0.customer(code: Customer.Code("K1")) })
        #expect(k1.customer.name == "上海华盛机械有限公司")
        #expect(k1.customer.terms == .net(45))
    }

    /// GB18030 bytes of `text` through iconv, for platforms whose Foundation lacks the encoding.
    func gb18030(_ text: String) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        guard (try? process.run()) != nil else { return nil }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
