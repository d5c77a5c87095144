import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Receivables
@testable import ReceivablesWeb
import Testing

/// Every page of a book with one of everything, as each role, in 中文 and in English: a Chinese page
/// shows no English word but a short list (arbook, CSV, DSO, codes and numbers), an English page no
/// Chinese outside the book's own data (names, messages written to customers). The words come from the
/// string table; this crawl keeps them there.
@Suite struct LanguageCrawlTests {
    /// Words a Chinese page may show as they are: the product, file formats, the ratio's name, currency codes.
    /// `default` is the name a policy is given in its JSON to replace the built-in one: typed as it is.
    static let allowedInChinese: Set<String> = ["arbook", "CSV", "DSO", "JSON", "UTC", "CNY", "Webhook", "API", "default"]

    static let people: [Role: String] = [.admin: "赵管理", .accountant: "钱会计", .collector: "孙催收", .manager: "李经理", .auditor: "周审计"]

    /// WebBook with a document of every kind, a dispute, a promise, an activity, an approved dunning run
    /// (messages, a late fee, holds), and a customer with instalments and a cash discount.
    static func book() async throws -> WebBook {
        let book = try await WebBook(displayNames: people)
        let caller = WebBook.operatorCaller
        let billing = Billing(storage: book.storage, caller: caller)
        _ = try await billing.addCustomer(Customer(code: Customer.Code("K3"), name: "客户 K3",
                                                   terms: try PaymentTerms.parse("30%@0,70%@60;2%/10")))
        _ = try await billing.issueInvoice(InvoiceDraft(number: DocumentNumber("F3"), customer: Customer.Code("K3"),
                                                        issue: Day(year: 2026, month: 6, day: 25)!, amount: Money(minorUnits: 50_000, currency: .cny)))
        let cash = Cash(storage: book.storage, caller: caller)
        _ = try await cash.recordReceipt(try Receipt(reference: DocumentNumber("R1"), customer: Customer.Code("K1"), day: Day(year: 2026, month: 2, day: 1)!,
                                                     amount: Money(minorUnits: 6_000, currency: .cny), method: .wechatPay),
                                         application: .invoice(DocumentNumber("F1")))
        _ = try await billing.issueCreditNote(CreditNote(number: DocumentNumber("C1"), invoice: DocumentNumber("F2"), day: Day(year: 2026, month: 2, day: 3)!,
                                                         amount: Money(minorUnits: 1_000, currency: .cny), reason: "退货"))
        let collections = Collections(storage: book.storage, caller: caller)
        _ = try await collections.openDispute(invoice: DocumentNumber("F2"), amount: "10.00", reason: "价格不符", day: Day(year: 2026, month: 2, day: 4)!)
        _ = try await collections.promise(customer: Customer.Code("K1"), invoice: nil, amount: "20", made: Day(year: 2026, month: 6, day: 1)!,
                                          due: Day(year: 2026, month: 6, day: 10)!, note: "")
        _ = try await collections.recordActivity(customer: Customer.Code("K1"), invoice: nil, kind: .call, day: Day(year: 2026, month: 6, day: 2)!,
                                                 outcome: "已接通", nextActionDay: Day(year: 2026, month: 6, day: 30)!, nextAction: "再次致电")
        _ = try await collections.run(asOf: Day(year: 2026, month: 6, day: 30)!, approve: true)
        return book
    }

    /// What a reader sees of a page: its text and the words of its labels, without the parts that are
    /// not words of the interface (styles, code, preformatted letters, a policy's JSON, the language
    /// switch, which names the other language in itself).
    static func visibleText(_ html: String) -> String {
        var text = html
        for pattern in ["(?s)<style[^>]*>.*?</style>", "(?s)<script[^>]*>.*?</script>", "(?s)<pre[^>]*>.*?</pre>", "(?s)<code[^>]*>.*?</code>",
                        "(?s)<textarea[^>]*>.*?</textarea>", "(?s)<a [^>]*lang=\"[^\"]*\"[^>]*>.*?</a>",
                        // What the book recorded, shown as recorded (the audit trail's values, logins).
                        "(?s)<span class=\"data\">.*?</span>"] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: [.regularExpression, .caseInsensitive])
        }
        var words: [String] = []
        // Labels a reader meets in attributes.
        let attributes = try! NSRegularExpression(pattern: "(?:placeholder|aria-label|title|alt)=\"([^\"]*)\"")
        for match in attributes.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            if let range = Range(match.range(at: 1), in: text) { words.append(String(text[range])) }
        }
        text = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        words.append(text)
        return words.joined(separator: " ").replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }

    /// English words on a Chinese page: runs of Latin letters in chunks without a digit (a chunk with one
    /// is a code or a number: K1, LF-K1-2026-06-30-6, 2026-06-30).
    static func englishWords(_ text: String) -> [String] {
        let chunks = text.split { $0.isWhitespace || ($0.unicodeScalars.first.map { $0.value >= 0x2E80 } ?? false) }
        return chunks.filter { !$0.contains(where: \.isNumber) }.flatMap { chunk in
            chunk.split { !($0.isASCII && $0.isLetter) }.map(String.init).filter { $0.count >= 2 && !allowedInChinese.contains($0) }
        }
    }

    static func chinese(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init).filter { word in
            word.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3000...0x303F).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
        }
    }

    /// The pages to read: every page route, filled with the book's documents, and the states a page can be in.
    static func uris(_ book: WebBook) async throws -> [String] {
        let message = try #require(try await Outbox(storage: book.storage, caller: WebBook.operatorCaller).messages(status: nil, limit: 1).first?.id)
        var uris: [String] = []
        // A printable letter is the customer's document, in the customer's language: not a page of the interface.
        for route in Pages.routes where route.method == .get && !route.path.hasSuffix("/letter") {
            var path = route.path == "/" ? "" : route.path
            for (parameter, value) in [("code", "K1"), ("number", "F1"), ("reference", "R1"), ("id", message.description)] {
                path = path.replacingOccurrences(of: "{\(parameter)}", with: value)
            }
            uris.append("/" + path)
        }
        return uris + ["/invoices?status=overdue", "/invoices/F3", "/invoices/F2", "/customers/K3", "/aging?bucket=4", "/aging/cell?customer=K1&bucket=4",
                       "/cash?customer=K1&amount=10", "/receipts?unapplied=1", "/disputes?all=1", "/outbox?status=pending",
                       "/customers/K1/statement?from=2026-01-01&to=2026-06-30", "/no-such-page", "/invoices/NOPE", "/invoices?customer=%E5%AE%A2%E6%88%B7"]
    }

    @Test(arguments: Role.allCases)
    func everyPageSpeaksOneLanguage(role: Role) async throws {
        let book = try await Self.book()
        let data = try await book.storage.read { reader in
            try reader.customerDirectory().values.map(\.name) + reader.outboxMessages(status: nil, limit: 500, before: nil).map(\.message.subject)
        } + Self.people.values + ["价格不符", "已接通", "再次致电", "退货", "NOPE", "客户"]
        let uris = try await Self.uris(book)
        try await book.application().test(.router) { client in
            let (session, _) = try #require(try await PageTests().signIn(client, as: role))
            for uri in uris {
                for language in UILanguage.allCases {
                    let html = try await client.execute(uri: uri, method: .get, headers: [.cookie: "\(session); lang=\(language.rawValue)"]) {
                        String(buffer: $0.body)
                    }
                    var text = Self.visibleText(html)
                    for datum in data.sorted(by: { $0.count > $1.count }) { text = text.replacingOccurrences(of: datum, with: " ") }
                    switch language {
                    case .zh:
                        let english = Self.englishWords(text)
                        #expect(english.isEmpty, "\(role) \(uri) in 中文 shows \(Set(english).sorted())")
                    case .en:
                        let chinese = Self.chinese(text)
                        #expect(chinese.isEmpty, "\(role) \(uri) in English shows \(Set(chinese).sorted())")
                    }
                }
            }
        }
    }

    @Test func theCrawlFindsAnEnglishWordAndAChineseOne() {
        #expect(Self.englishWords(Self.visibleText("<p>逾期 overdue K1 2026-06-30 CSV <a lang=\"en\">English</a></p>")) == ["overdue"])
        #expect(Self.chinese(Self.visibleText("<p>Overdue 逾期 <a href=\"/lang/zh\" lang=\"zh\">中文</a></p>")) == ["逾期"])
    }

    /// Every word a template asks for is in the table, in both languages and not blank; and every
    /// reason form the Chinese pages rewrite is a pattern that compiles and rewrites its own example.
    @Test func everyWordATemplateUsesIsInTheTable() throws {
        let folder = try #require(Renderer.templatesFolder())
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(files.count > 20)
        let key = try NSRegularExpression(pattern: "\\{\\{[#^/]?t\\.([A-Za-z0-9_]+)\\}\\}")
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for match in key.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let name = String(text[Range(match.range(at: 1), in: text)!])
                let words = Strings.table[name]
                #expect(words != nil, "\(file) asks for t.\(name), which the table lacks")
                #expect(words.map { !$0.en.isEmpty && !$0.zh.isEmpty } ?? true, "t.\(name) is blank in a language")
            }
        }
    }

    @Test func theTablesPartsNameEachWordOnce() {
        #expect(Set(Strings.pages.keys).isDisjoint(with: Strings.codes.keys))
        #expect(Strings.table.count == Strings.pages.count + Strings.codes.count)
    }

    @Test func theReasonsAFormMeetsAreSaidInChinese() {
        let zh = Words(.zh)
        for (english, chinese) in [("'12.345' has more than 2 decimals", "“12.345”的小数超过 2 位"),
                                   ("invoice 'F9' does not exist", "发票“F9”不存在"),
                                   ("number 'F1' exists already", "单号“F1”已存在"),
                                   ("a promise is to pay on or after the day it is made", "承诺付款日期不能早于今天"),
                                   ("say what is to be done", "请写明下一步要做什么"),
                                   ("2 customers match '客户': K1 客户 K1, K2 客户 K2", "有 2 个客户与“客户”相符：K1 客户 K1, K2 客户 K2。请填写其中一个的编码")] {
            #expect(zh.reason(english) == chinese)
            #expect(Words(.en).reason(english) == english)
        }
        #expect(zh.reason("an unknown rule") == "an unknown rule", "a reason no form knows is shown as it is")
        #expect(Words.reasonForms.count == Words.reasonPatterns.count, "every reason form compiles")
    }
}
