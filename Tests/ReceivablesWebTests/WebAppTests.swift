import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Receivables
@testable import ReceivablesWeb
import Testing

/// The pages as a finance team works in them: a refused form comes back with what was typed and
/// each reason beside its field in the page's language; every error page has the navigation;
/// customers are found by name; receipts have a list and a page; dunning shows its plan and waits
/// for a manager where it should.
@Suite struct WebAppTests {
    let pages = PageTests()

    func post(_ client: some TestClientProtocol, _ uri: String, cookie: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                 body: ByteBuffer(string: body)) { $0 }
    }

    func get(_ client: some TestClientProtocol, _ uri: String, cookie: String) async throws -> (status: HTTPResponse.Status, html: String) {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func aRefusedFormComesBackTypedAndTranslated() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (session, csrf) = try #require(try await pages.signIn(client, as: .accountant))
            let cookie = session + "; lang=zh"
            // Three decimals, an issue day that is no day, and a number that exists already.
            let response = try await post(client, "/invoices", cookie: cookie,
                                          "_csrf=\(csrf)&number=F1&customer=K2&issue_date=2026-13-01&due_date=&amount=12.345&description=%E8%B4%A7%E6%AC%BE")
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("<html lang=\"zh-CN\">"))
            #expect(html.contains("value=\"12.345\""), "the amount as typed")
            #expect(html.contains("value=\"货款\""), "the description as typed")
            #expect(html.contains("“12.345”的小数超过 2 位"), "the rule, in Chinese, beside the amount")
            #expect(html.contains("“2026-13-01”不是日期"))
            #expect(!html.contains("has more than"), "no English reason on a Chinese page")
            #expect(html.contains("href=\"/customers\""), "the navigation is on the page")
            // Fixed, the same form goes on to the next rule: the number exists already.
            let again = try await post(client, "/invoices", cookie: cookie,
                                       "_csrf=\(csrf)&number=F1&customer=K2&issue_date=2026-03-01&due_date=&amount=12.34&description=")
            #expect(again.status == .unprocessableContent)
            #expect(String(buffer: again.body).contains("发票号") || String(buffer: again.body).contains("已存在"))
            #expect(String(buffer: again.body).contains("id=\"error-number\""))
        }
        #expect(try await book.storage.read { try $0.invoice(number: DocumentNumber("F1"))?.invoice.amount } == Money(minorUnits: 10_000, currency: .cny),
                "nothing changed")
    }

    @Test func aPromiseInThePastAndANextActionWithoutTextStayOnTheCustomerPage() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (session, csrf) = try #require(try await pages.signIn(client, as: .collector))
            let cookie = session + "; lang=zh"
            let promise = try await post(client, "/customers/K1/promises", cookie: cookie, "_csrf=\(csrf)&amount=50&due=2026-01-01&invoice=&note=")
            #expect(promise.status == .unprocessableContent)
            let html = String(buffer: promise.body)
            #expect(html.contains("承诺付款日期不能早于今天"))
            #expect(html.contains("name=\"due\" value=\"2026-01-01\""))
            #expect(html.contains("客户 K1"), "it is the customer's page")
            let activity = try await post(client, "/customers/K1/activities", cookie: cookie,
                                          "_csrf=\(csrf)&kind=call&outcome=%E5%B7%B2%E6%8E%A5%E9%80%9A&invoice=&next_action_day=2026-07-03&next_action=")
            #expect(activity.status == .unprocessableContent)
            #expect(String(buffer: activity.body).contains("请写明下一步要做什么"))
            #expect(String(buffer: activity.body).contains("value=\"已接通\""))
        }
    }

    @Test func errorPagesHaveTheNavigationAndSayWhyInTheReadersLanguage() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (session, csrf) = try #require(try await pages.signIn(client, as: .collector))
            let missing = try await get(client, "/no-such-page", cookie: session + "; lang=zh")
            #expect(missing.status == .notFound)
            #expect(missing.html.contains("找不到") && missing.html.contains("href=\"/customers\""))
            let invoice = try await get(client, "/invoices/NOPE", cookie: session + "; lang=zh")
            #expect(invoice.status == .notFound && invoice.html.contains("发票“NOPE”不存在"))
            // A collector who reaches a write form anyway is told, in words, what their role cannot do.
            let forbidden = try await post(client, "/invoices", cookie: session + "; lang=zh",
                                           "_csrf=\(csrf)&number=X&customer=K1&issue_date=2026-03-01&amount=1")
            #expect(forbidden.status == .forbidden)
            let text = String(buffer: forbidden.body)
            #expect(text.contains("催收员") && text.contains("开票"))
            #expect(!text.contains("writeBook"), "no internal permission names")
        }
    }

    @Test func roleAwareNavigationOffersOnlyWhatTheRoleCanDo() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (collector, _) = try #require(try await pages.signIn(client, as: .collector))
            let page = try await get(client, "/customers", cookie: collector)
            #expect(!page.html.contains("href=\"/cash\"") && !page.html.contains("href=\"/import\""))
            let invoice = try await get(client, "/invoices/F1", cookie: collector)
            #expect(!invoice.html.contains("action=\"/invoices/F1/credit-notes\""), "no form a collector cannot send")
            let (accountant, _) = try #require(try await pages.signIn(client, as: .accountant))
            #expect(try await get(client, "/customers", cookie: accountant).html.contains("href=\"/cash\""))
        }
    }

    @Test func customersAreFoundByNameAndInvoicesByNumber() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            let byName = try await get(client, "/invoices?customer=%E5%AE%A2%E6%88%B7%20K2", cookie: cookie)
            #expect(byName.status == .ok)
            #expect(byName.html.contains("/invoices/F2\"") && !byName.html.contains("/invoices/F1\""))
            // "客户" matches both customers: the field says so and names them, rather than a 404.
            let several = try await get(client, "/invoices?customer=%E5%AE%A2%E6%88%B7", cookie: cookie + "; lang=zh")
            #expect(several.status == .unprocessableContent)
            #expect(several.html.contains("有 2 个客户与“客户”相符") && several.html.contains("K1 客户 K1"))
            let byNumber = try await get(client, "/invoices?q=F2", cookie: cookie)
            #expect(byNumber.html.contains("/invoices/F2\"") && !byNumber.html.contains("/invoices/F1\""))
            #expect(byNumber.html.contains("id=\"invoice-count\">1<"))
            // A wildcard is matched as typed, not as a pattern.
            #expect(try await get(client, "/invoices?q=%25", cookie: cookie).html.contains("id=\"invoice-count\">0<"))
        }
    }

    @Test func aCustomerFieldOffersOnlyTheCustomersTheCallerSees() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (accountant, _) = try #require(try await pages.signIn(client, as: .accountant))
            let codes = { (text: String) in
                ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: String]])?.map { "\($0["code"] ?? "") \($0["name"] ?? "")" }
            }
            let all = try await get(client, "/lookup/customers?q=%E5%AE%A2%E6%88%B7", cookie: accountant)
            #expect(codes(all.html) == ["K1 客户 K1", "K2 客户 K2"])
            let (collector, _) = try #require(try await pages.signIn(client, as: .collector))
            #expect(codes(try await get(client, "/lookup/customers?q=K", cookie: collector).html) == ["K1 客户 K1"])
            #expect(codes(try await get(client, "/lookup/customers?q=", cookie: collector).html) == [])
            let script = try await client.execute(uri: "/static/app.js", method: .get) { ($0.status, $0.headers[.contentType]) }
            #expect(script.0 == .ok && script.1 == "text/javascript; charset=utf-8")
        }
    }

    @Test func theInvoiceListShowsStatusDaysOverdueAndTotalsOfTheWholeSelection() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            let page = try await get(client, "/invoices", cookie: cookie)
            // F1 and F2 (due 2026-02-09 on net 30) are 141 days overdue on 2026-06-30.
            #expect(page.html.contains("<td class=\"num\">141</td>"))
            #expect(page.html.contains("id=\"invoice-total\">¥300.00<"))
            #expect(page.html.contains("id=\"invoice-count\">2<"))
        }
    }

    @Test func aReceiptHasItsListItsPageAndItsReversal() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await pages.signIn(client, as: .accountant))
            let recorded = try await post(client, "/cash", cookie: cookie,
                                          "_csrf=\(csrf)&customer=%E5%AE%A2%E6%88%B7%20K1&reference=R-7&date=2026-03-01&amount=150.00&method=wechat_pay&invoice[]=F1&apply[]=100.00")
            #expect(recorded.status == .seeOther)
            #expect(recorded.headers[.location] == "/receipts/R-7?done=receipt_recorded")
            let page = try await get(client, "/receipts/R-7?done=receipt_recorded", cookie: cookie + "; lang=zh")
            #expect(page.html.contains("收款已登记"))
            #expect(page.html.contains("微信支付"))
            #expect(page.html.contains("id=\"receipt-rest\">¥50.00<"), "what stays as an advance")
            #expect(page.html.contains("/invoices/F1\""))
            let list = try await get(client, "/receipts?q=R-7", cookie: cookie)
            #expect(list.html.contains("/receipts/R-7\"") && list.html.contains("id=\"receipt-total\">¥150.00<"))
            #expect(try await get(client, "/receipts?unapplied=1&customer=K2", cookie: cookie).html.contains("id=\"receipt-count\">0<"))
            // A reversal dated before the receipt is refused beside its field, on the receipt's page.
            let early = try await post(client, "/receipts/reversal", cookie: cookie + "; lang=zh", "_csrf=\(csrf)&reference=R-7&date=2026-02-01&reason=%E9%80%80%E7%A5%A8")
            #expect(early.status == .unprocessableContent)
            #expect(String(buffer: early.body).contains("冲销日期不能早于收款或其核销日期"))
            let reversed = try await post(client, "/receipts/reversal", cookie: cookie, "_csrf=\(csrf)&reference=R-7&date=2026-03-02&reason=bounced")
            #expect(reversed.headers[.location] == "/receipts/R-7?done=receipt_reversed")
            let after = try await get(client, "/receipts/R-7?done=receipt_reversed", cookie: cookie)
            #expect(after.html.contains("Receipt reversed.") && !after.html.contains("Receipt recorded."))
            #expect(after.html.contains("id=\"receipt-reversed\""))
        }
        #expect(try await BookCheck(storage: book.storage, caller: WebBook.operatorCaller).run().passed)
    }

    @Test func theLanguageSwitchReturnsToThePageItWasOn() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            let page = try await get(client, "/invoices?q=F1", cookie: cookie)
            #expect(page.html.contains("href=\"/lang/zh?back=%2Finvoices%3Fq%3DF1\""))
            for (back, location) in [("%2Finvoices%3Fq%3DF1", "/invoices?q=F1"), ("%2F%2Fevil.example", "/"), ("https%3A%2F%2Fevil.example", "/"),
                                     ("%2F%5Cevil.example", "/")] {
                try await client.execute(uri: "/lang/zh?back=\(back)", method: .get, headers: [.cookie: cookie]) { response in
                    #expect(response.headers[.location] == location, "\(back)")
                }
            }
        }
    }

    @Test func theDunningPageShowsThePlanAndAManagerApprovesAFirstRun() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (accountant, accountantCSRF) = try #require(try await pages.signIn(client, as: .accountant))
            let page = try await get(client, "/dunning", cookie: accountant + "; lang=zh")
            #expect(page.status == .ok)
            #expect(page.html.contains("id=\"dunning-gate\"") && page.html.contains("这是本账簿的第一次催款"))
            #expect(page.html.contains("id=\"plan-customers\">2<"), "one message for each customer")
            #expect(!page.html.contains("id=\"approve-run\""), "an accountant cannot approve")
            // The accountant's run is held back: nothing sent.
            let held = try await post(client, "/dunning/run", cookie: accountant, "_csrf=\(accountantCSRF)")
            #expect(held.headers[.location] == "/dunning")
            #expect(try await book.storage.read { try $0.lastDunningRun() } == nil)
            let (manager, managerCSRF) = try #require(try await pages.signIn(client, as: .manager))
            let managerPage = try await get(client, "/dunning", cookie: manager)
            let fingerprint = try #require(managerPage.html.components(separatedBy: "name=\"fingerprint\" value=\"").dropFirst().first?.prefix(64))
            let stale = try await post(client, "/dunning/run", cookie: manager, "_csrf=\(managerCSRF)&approve=1&fingerprint=\(String(repeating: "0", count: 64))")
            #expect(stale.status == .unprocessableContent, "an approval of a plan that is not today's")
            let approved = try await post(client, "/dunning/run", cookie: manager, "_csrf=\(managerCSRF)&approve=1&fingerprint=\(fingerprint)")
            #expect(approved.headers[.location] == "/dunning?done=dunning_approved")
            #expect(try await book.storage.read { try $0.lastDunningRun() } == Day(year: 2026, month: 6, day: 30)!)
            // Both customers are 141 days late: on hold; the manager releases one.
            let after = try await get(client, "/dunning", cookie: manager)
            #expect(after.html.contains("action=\"/dunning/holds/K1/release\""))
            let released = try await post(client, "/dunning/holds/K1/release", cookie: manager, "_csrf=\(managerCSRF)")
            #expect(released.headers[.location] == "/dunning?done=hold_released&ref=K1#holds")
            #expect(!(try await get(client, "/dunning", cookie: manager).html.contains("action=\"/dunning/holds/K1/release\"")))
        }
    }

    @Test func aBadPolicyIsRefusedBesideTheEditorAndKeptAsTyped() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (manager, csrf) = try #require(try await pages.signIn(client, as: .manager))
            let text = #"{"name": "vip", "levels": [{"name": "nudge", "days": 5, "channels": ["fax"]}]}"#
            let body = "_csrf=\(csrf)&definition=\(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&categories=VIP"
            let refused = try await post(client, "/dunning/policies", cookie: manager, body)
            #expect(refused.status == .unprocessableContent)
            let html = String(buffer: refused.body)
            #expect(html.contains("fax"), "the definition as typed")
            #expect(html.contains("class=\"field-error\"") || html.contains("class=\"alert wide\""))
            let good = #"{"name": "vip", "levels": [{"name": "nudge", "days": 5, "channels": ["email"]}]}"#
            let saved = try await post(client, "/dunning/policies", cookie: manager,
                                       "_csrf=\(csrf)&definition=\(good.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&categories=VIP")
            #expect(saved.headers[.location] == "/dunning?done=policy_saved&ref=vip#policies")
        }
    }
}

/// The import page: a refused file keeps what it was said to hold, says in the reader's words what is
/// wrong; a good file shows its kind, rows, total and first rows before anything is written, and can
/// be dropped; the same file again says when it was imported.
@Suite struct ImportPageTests {
    let pages = PageTests()

    func upload(_ client: some TestClientProtocol, cookie: String, csrf: String, kind: String, file: String) async throws -> TestResponse {
        let boundary = "xYzBoundary"
        let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n\(kind)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        return try await client.execute(uri: "/import", method: .post,
                                        headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                        body: ByteBuffer(string: body)) { $0 }
    }

    func field(_ name: String, in html: String) -> String? {
        html.components(separatedBy: "name=\"\(name)\" value=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func aRefusedFileKeepsItsKindAndSaysWhyInChinese() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (session, csrf) = try #require(try await pages.signIn(client, as: .accountant))
            let response = try await upload(client, cookie: session + "; lang=zh", csrf: csrf, kind: "invoices",
                                            file: "number,customer,issue_date,amount\nF7,K1,2026-13-40,10.00\nF8,K1,2026/6/1,1.234\n")
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("<option value=\"invoices\" selected>"), "the kind stays as chosen")
            #expect(html.contains("“2026-13-40”不是日期") && html.contains("“1.234”的小数超过 2 位"))
            #expect(html.contains("<td>开票日</td>"), "the column in the reader's words")
        }
    }

    @Test func aGoodFileShowsWhatItHoldsAndCanBeDroppedOrImportedOnce() async throws {
        let book = try await WebBook()
        let file = "number,customer,issue_date,amount\nF7,K1,2026/6/1,10.00\nF8,K2,20260602,\"1,234.50\"\n"
        try await book.application().test(.router) { client in
            let (session, csrf) = try #require(try await pages.signIn(client, as: .accountant))
            let checked = try await upload(client, cookie: session, csrf: csrf, kind: "invoices", file: file)
            let html = String(buffer: checked.body)
            #expect(checked.status == .ok)
            #expect(html.contains("id=\"import-rows\">2<") && html.contains("id=\"import-total\">¥1,244.50<"))
            #expect(html.contains("<td>F8</td><td>K2</td><td>2026-06-02</td>"), "the first rows as they will be written")
            let first = try #require(field("upload", in: html))
            // Dropped: nothing written, the upload gone.
            let cancelled = try await client.execute(uri: "/import/cancel", method: .post,
                                                     headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                                                     body: ByteBuffer(string: "_csrf=\(csrf)&upload=\(first)")) { $0 }
            #expect(cancelled.headers[.location] == "/import?done=import_cancelled")
            let gone = try await client.execute(uri: "/import/confirm", method: .post,
                                                headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "_csrf=\(csrf)&kind=invoices&upload=\(first)")) { $0 }
            #expect(gone.status == .notFound)
            #expect(try await book.storage.read { try $0.invoice(number: DocumentNumber("F7")) } == nil)
            // Checked again and confirmed: imported; the same file a third time says when it was imported.
            let again = try await upload(client, cookie: session, csrf: csrf, kind: "invoices", file: file)
            let second = try #require(field("upload", in: String(buffer: again.body)))
            let done = try await client.execute(uri: "/import/confirm", method: .post,
                                                headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "_csrf=\(csrf)&kind=invoices&upload=\(second)")) { String(buffer: $0.body) }
            #expect(done.contains("id=\"import-done\""))
            let third = String(buffer: try await upload(client, cookie: session, csrf: csrf, kind: "invoices", file: file).body)
            #expect(third.contains("id=\"import-already\"") && third.contains("2026-11-22 08:00:00"), "when, in the book's time zone")
        }
    }
}

/// The printed letter: headed with the company, dated and numbered, its items in one table whose
/// columns line up, amounts in yuan, the total with the fee, where to pay, a signature and a seal.
@Suite struct LetterTests {
    let pages = PageTests()

    @Test func aLetterIsWorthyOfTheCompanysLetterhead() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (admin, csrf) = try #require(try await pages.signIn(client, as: .admin))
            let long = String(repeating: "长", count: 201)
            let refused = try await client.execute(uri: "/settings", method: .post,
                                                   headers: [.cookie: admin + "; lang=zh", .contentType: "application/x-www-form-urlencoded"],
                                                   body: ByteBuffer(string: "_csrf=\(csrf)&name=\(long.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("最多 200 个字符"))
            let fields = ["name": "上海示例贸易有限公司", "address": "上海市浦东新区示例路 1 号", "phone": "021-5555 0000",
                          "bank": "中国工商银行上海分行", "account": "1001 2345 6789 0000", "tax_id": "91310000MA1K000000"]
            let body = "_csrf=\(csrf)&" + fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
            let saved = try await client.execute(uri: "/settings", method: .post,
                                                 headers: [.cookie: admin, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)) { $0 }
            #expect(saved.headers[.location] == "/settings?done=settings_saved")
        }
        _ = try await Collections(storage: book.storage, caller: WebBook.operatorCaller).run(asOf: Day(year: 2026, month: 6, day: 30)!, approve: true)
        let letter = try #require(try await Outbox(storage: book.storage, caller: WebBook.operatorCaller).messages(status: nil, limit: 50)
            .first { $0.message.channel == .letter && $0.message.language == "zh-CN" })
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            let html = try await client.execute(uri: "/outbox/\(letter.id)/letter", method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
            #expect(html.contains("上海示例贸易有限公司") && html.contains("1001 2345 6789 0000") && html.contains("中国工商银行上海分行"))
            #expect(html.components(separatedBy: "<table>").count == 2, "the items in one table")
            #expect(html.contains("<th>发票号</th><th>到期日</th><th>逾期天数</th><th>催收级别</th><th>应付金额</th>"))
            #expect(html.contains("¥200.00") || html.contains("¥100.00"))
            #expect(!html.contains("CNY"), "yuan as ¥ and 人民币…元, not a code")
            #expect(html.contains("应付总额（含上述费用）：人民币"))
            #expect(html.contains("（盖章）") && html.contains("催字第 \(letter.id) 号"))
        }
    }
}

/// A customer made and changed on the page, with the history of the change; a statement of any period;
/// the aging paged with its totals at the top and each column's customers; the dashboard's latest
/// receipts by the day they came in; a dispute resolved or rejected by its own button.
@Suite struct EverydayPagesTests {
    let pages = PageTests()

    func post(_ client: some TestClientProtocol, _ uri: String, cookie: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                 body: ByteBuffer(string: body)) { $0 }
    }

    func get(_ client: some TestClientProtocol, _ uri: String, cookie: String) async throws -> String {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]) { String(buffer: $0.body) }
    }

    @Test func aCustomerIsMadeAndChangedOnThePageWithItsHistory() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (session, csrf) = try #require(try await pages.signIn(client, as: .accountant))
            let cookie = session + "; lang=zh"
            // A code that exists, and terms that are no terms: both said beside their fields, the rest kept.
            let refused = try await post(client, "/customers", cookie: cookie,
                                         "_csrf=\(csrf)&code=K1&name=%E6%96%B0%E5%AE%A2%E6%88%B7&currency=CNY&terms=soon&credit_limit=&category=&email=&phone=")
            #expect(refused.status == .unprocessableContent)
            let html = String(buffer: refused.body)
            #expect(html.contains("id=\"error-terms\"") && html.contains("value=\"新客户\"") && html.contains("value=\"soon\""))
            let made = try await post(client, "/customers", cookie: cookie,
                                      "_csrf=\(csrf)&code=K7&name=%E6%96%B0%E5%AE%A2%E6%88%B7&currency=CNY&terms=%E6%9C%88%E7%BB%9330&credit_limit=10%2C000&category=VIP&email=&phone=")
            #expect(made.headers[.location] == "/customers/K7?done=customer_saved")
            let page = try await get(client, "/customers/K7", cookie: cookie)
            #expect(page.contains("id=\"customer-terms\">月结 30 天<") && page.contains("¥10,000.00"))
            let changed = try await post(client, "/customers/K7", cookie: cookie,
                                         "_csrf=\(csrf)&name=%E6%96%B0%E5%AE%A2%E6%88%B7&terms=60&credit_limit=20000&category=VIP&email=&phone=")
            #expect(changed.headers[.location] == "/customers/K7?done=customer_saved")
            let history = try await get(client, "/customers/K7/history", cookie: cookie)
            #expect(history.contains("账期: <span class=\"data\">月结 30 天 → 60 天</span>"))
            #expect(history.contains("信用额度: <span class=\"data\">10000.00 CNY → 20000.00 CNY</span>"))
            #expect(history.contains(">创建<") && history.contains(">修改<"))
            // A collector may not change a customer.
            let (collector, collectorCSRF) = try #require(try await pages.signIn(client, as: .collector))
            #expect(try await post(client, "/customers/K1", cookie: collector, "_csrf=\(collectorCSRF)&name=x").status == .forbidden)
        }
        #expect(try await book.storage.read { try $0.customer(code: Customer.Code("K7"))?.customer.terms } == .net(60))
    }

    @Test func aStatementOfAnyPeriodRunsFromItsOpeningToItsClosingBalance() async throws {
        let book = try await WebBook()
        _ = try await Cash(storage: book.storage, caller: WebBook.operatorCaller).recordReceipt(
            try Receipt(reference: DocumentNumber("R1"), customer: Customer.Code("K1"), day: Day(year: 2026, month: 3, day: 1)!,
                        amount: Money(minorUnits: 4_000, currency: .cny), method: .cash),
            application: .invoice(DocumentNumber("F1")))
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            let march = try await get(client, "/customers/K1/statement?from=2026-02-01&to=2026-03-31", cookie: cookie)
            #expect(march.contains("id=\"statement-opening\">¥100.00<") && march.contains("id=\"statement-closing\">¥60.00<"))
            #expect(march.contains("<td>R1</td>"))
            let january = try await get(client, "/customers/K1/statement?from=2026-01-01&to=2026-01-31", cookie: cookie)
            #expect(january.contains("id=\"statement-opening\">¥0.00<") && january.contains("id=\"statement-closing\">¥100.00<"))
            let backwards = try await client.execute(uri: "/customers/K1/statement?from=2026-03-31&to=2026-02-01", method: .get,
                                                     headers: [.cookie: cookie]) { $0.status }
            #expect(backwards == .unprocessableContent)
        }
    }

    @Test func theAgingIsPagedWithItsTotalsOnTopAndEachColumnDrillsToItsCustomers() async throws {
        let book = try await WebBook()
        let billing = Billing(storage: book.storage, caller: WebBook.operatorCaller)
        for index in 0..<60 {
            let code = String(format: "M%02d", index)
            _ = try await billing.addCustomer(Customer(code: Customer.Code(code), name: "客户 \(code)"))
            _ = try await billing.issueInvoice(InvoiceDraft(number: DocumentNumber("I\(code)"), customer: Customer.Code(code),
                                                            issue: Day(year: 2026, month: 6, day: 1)!, amount: Money(minorUnits: 1_000, currency: .cny)))
        }
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            let first = try await get(client, "/aging", cookie: cookie)
            // 62 customers, 50 a page; the total above the first row counts all of them: 100 + 200 + 60 × 10.
            #expect(first.contains("id=\"aging-total-top\">¥900.00<") && first.contains("rel=\"next\""))
            #expect(first.components(separatedBy: "<tr><td><a href=\"/customers/").count - 1 == 50)
            let second = try await get(client, "/aging?as_of=2026-06-30&basis=due&buckets=30,60,90&page=1", cookie: cookie)
            #expect(second.components(separatedBy: "<tr><td><a href=\"/customers/").count - 1 == 12)
            // The 91+ column (F1 and F2, due 2026-02-09) drills to its two customers; their cell to the invoice, with days overdue.
            let column = try await get(client, "/aging?bucket=4&as_of=2026-06-30&basis=due&buckets=30,60,90", cookie: cookie)
            #expect(column.contains("id=\"bucket-total\">¥300.00<"))
            #expect(column.components(separatedBy: "<tr><td><a href=\"/customers/").count - 1 == 2)
            let cell = try await get(client, "/aging/cell?customer=K1&bucket=4&as_of=2026-06-30&basis=due&buckets=30,60,90", cookie: cookie)
            #expect(cell.contains("<td class=\"num\">141</td>"))
        }
    }

    @Test func theDashboardsLatestReceiptsAreByTheDayTheyCameIn() async throws {
        let book = try await WebBook()
        let cash = Cash(storage: book.storage, caller: WebBook.operatorCaller)
        // Entered in this order, received in the other.
        for (reference, day) in [("LATE", 20), ("EARLY", 2)] {
            _ = try await cash.recordReceipt(try Receipt(reference: DocumentNumber(reference), customer: Customer.Code("K2"),
                                                         day: Day(year: 2026, month: 3, day: day)!, amount: Money(minorUnits: 100, currency: .cny),
                                                         method: .cash), application: .advance)
        }
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            let html = try await get(client, "/", cookie: cookie)
            let late = try #require(html.range(of: ">LATE<")), early = try #require(html.range(of: ">EARLY<"))
            #expect(late.lowerBound < early.lowerBound, "the latest day first")
            #expect(html.contains("href=\"/receipts/LATE\"") && html.contains("href=\"/customers/K2\""))
        }
    }

    @Test func aDisputeIsResolvedOrRejectedByItsOwnButton() async throws {
        let book = try await WebBook()
        let collections = Collections(storage: book.storage, caller: WebBook.operatorCaller)
        let first = try await collections.openDispute(invoice: DocumentNumber("F1"), amount: "10.00", reason: "价格", day: Day(year: 2026, month: 2, day: 2)!)
        let second = try await collections.openDispute(invoice: DocumentNumber("F2"), amount: "20.00", reason: "数量", day: Day(year: 2026, month: 2, day: 2)!)
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await pages.signIn(client, as: .accountant))
            let list = try await get(client, "/disputes", cookie: cookie)
            #expect(list.contains("href=\"/customers/K1\"") && list.contains("value=\"resolve\"") && list.contains("value=\"reject\""))
            // Reject, even with a credit note number typed: the button says what is done.
            let rejected = try await post(client, "/disputes/\(first)/close", cookie: cookie, "_csrf=\(csrf)&resolution=no&credit_note=CN9&amount=&action=reject")
            #expect(rejected.headers[.location] == "/disputes?done=dispute_closed&ref=\(first)")
            let resolved = try await post(client, "/disputes/\(second)/close", cookie: cookie, "_csrf=\(csrf)&resolution=ok&credit_note=CN8&amount=&action=resolve")
            #expect(resolved.status == .seeOther)
        }
        let closed = try await collections.disputes(status: nil)
        #expect(closed.first { $0.id == first }?.status == .rejected)
        #expect(closed.first { $0.id == second }?.status == .resolved)
        #expect(try await book.storage.read { try $0.credit(kind: .creditNote, reference: DocumentNumber("CN9")) } == nil)
        #expect(try await book.storage.read { try $0.credit(kind: .creditNote, reference: DocumentNumber("CN8")) }?.amount == Money(minorUnits: 2_000, currency: .cny))
    }
}
