import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Receivables
@testable import ReceivablesWeb
import Testing

/// The pages through the router: signing in, CSRF, sessions, both languages.
@Suite struct PageTests {
    /// Signs in as `role` and returns the session cookie and the page's CSRF token.
    func signIn(_ client: some TestClientProtocol, as role: Role, password: String? = nil) async throws -> (cookie: String, csrf: String)? {
        let form = try await client.execute(uri: "/login", method: .get) { $0 }
        let loginCSRF = try #require(Self.cookie("arbook_login_csrf", in: form))
        let body = "name=\(role.rawValue)&password=\((password ?? "password for \(role.rawValue)").replacingOccurrences(of: " ", with: "+"))&_csrf=\(loginCSRF)"
        let response = try await client.execute(uri: "/login", method: .post,
                                                 headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "arbook_login_csrf=\(loginCSRF)"],
                                                 body: ByteBuffer(string: body)) { $0 }
        guard response.status == .seeOther, let session = Self.cookie("arbook_session", in: response) else { return nil }
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "arbook_session=\(session)"]) { $0 }
        let html = String(buffer: page.body)
        let csrf = html.components(separatedBy: "name=\"_csrf\" value=\"").dropFirst().first?.prefix(64) ?? ""
        return ("arbook_session=\(session)", String(csrf))
    }

    static func cookie(_ name: String, in response: TestResponse) -> String? {
        for field in response.headers[values: .setCookie] where field.hasPrefix(name + "=") {
            let value = field.dropFirst(name.count + 1).prefix { $0 != ";" }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    @Test func pagesSendTheAnonymousToSignIn() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            for uri in ["/", "/aging", "/customers", "/worklist", "/outbox", "/outbox/1", "/outbox/1/letter", "/disputes",
                        "/customers/K1/ledger.csv"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .seeOther, "\(uri)")
                    #expect(response.headers[.location] == "/login")
                }
            }
            for uri in ["/outbox/1/resend", "/disputes/1/close", "/customers/K1/activities", "/customers/K1/promises", "/customers/K1/disputes"] {
                try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "_csrf=x")) { response in
                    #expect(response.status == .seeOther && response.headers[.location] == "/login", "\(uri)")
                }
            }
        }
    }

    @Test func signingInOpensASessionWithSafeCookies() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get) { $0 }
            let loginCSRF = try #require(Self.cookie("arbook_login_csrf", in: form))
            let response = try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "arbook_login_csrf=\(loginCSRF)"],
                body: ByteBuffer(string: "name=admin&password=password+for+admin&_csrf=\(loginCSRF)")) { $0 }
            #expect(response.status == .seeOther)
            let setCookie = response.headers[values: .setCookie].first { $0.hasPrefix("arbook_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            let session = try #require(Self.cookie("arbook_session", in: response))
            try await client.execute(uri: "/", method: .get, headers: [.cookie: "arbook_session=\(session)"]) { page in
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("id=\"total-receivables\">¥300.00<"))
                #expect(html.contains("<svg"))
            }
        }
    }

    @Test func aSignInWithoutItsCSRFTokenIsRefused() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "name=admin&password=password+for+admin&_csrf=forged")) { response in
                #expect(response.status == .forbidden)
                #expect(Self.cookie("arbook_session", in: response) == nil)
            }
        }
    }

    /// One middleware checks every form of the signed-in pages: each POST route refuses a forged or
    /// missing token with 403 before its handler reads the form (a valid form otherwise), multipart
    /// uploads included, and the book is unchanged.
    @Test func everyFormRouteRefusesAForgedOrMissingCSRFToken() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await signIn(client, as: .admin))
            let routes = ["/invoices", "/invoices/F1/credit-notes", "/allocations", "/allocations/1/reversal", "/receipts/reversal",
                          "/import/confirm", "/cash", "/outbox/1/resend", "/disputes/1/close", "/customers/K1/activities",
                          "/customers/K1/promises", "/customers/K1/disputes", "/logout"]
            let form = "customer=K1&number=NEW1&issue_date=2026-06-01&amount=5&reference=R9&date=2026-06-01&method=cash"
            for uri in routes {
                for token in ["&_csrf=forged", "", "&_csrf=\(csrf.dropLast())"] {
                    try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                             body: ByteBuffer(string: form + token)) { response in
                        #expect(response.status == .forbidden, "\(uri) \(token)")
                    }
                }
            }
            let boundary = "xYzBoundary"
            let upload = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nforged\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncustomers\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n\r\ncode,name\r\nK9,Nine\r\n"
                + "--\(boundary)--\r\n"
            try await client.execute(uri: "/import", method: .post,
                                     headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: cookie],
                                     body: ByteBuffer(string: upload)) { response in
                #expect(response.status == .forbidden)
            }
            // The session still works: logout was refused, and nothing was written.
            try await client.execute(uri: "/invoices/NEW1", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    /// After a reversal the browser goes back only to a page of this application: a Referer naming
    /// another site (`//evil.example/x` as a path) sends it to the invoices list instead.
    @Test func redirectsNeverLeaveTheApplication() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            for index in 1...3 {
                let body = ByteBuffer(string: #"{"reference": "R\#(index)", "customer": "K1", "date": "2026-02-01", "amount": "10", "method": "cash", "invoice": "F1"}"#)
                try await client.execute(uri: "/api/v1/receipts", method: .post, headers: book.headers(.accountant), body: body) { response in
                    #expect(response.status == .created)
                }
            }
            let (cookie, csrf) = try #require(try await signIn(client, as: .accountant))
            for (id, (referer, location)) in [("http://127.0.0.1:8080//evil.example/x", "/invoices?done=allocation_reversed&ref=1"),
                                              ("https://evil.example/", "/invoices?done=allocation_reversed&ref=2"),
                                              ("http://127.0.0.1:8080/invoices/F1", "/invoices/F1?done=allocation_reversed&ref=3")].enumerated() {
                try await client.execute(uri: "/allocations/\(id + 1)/reversal", method: .post,
                                         headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie, .referer: referer],
                                         body: ByteBuffer(string: "date=2026-02-02&reason=wrong&_csrf=\(csrf)")) { response in
                    #expect(response.headers[.location] == location, "\(referer)")
                }
            }
        }
    }

    /// Every answer — page, API JSON, CSV export, the printable letter's policy aside, an error — is
    /// never sniffed, framed or cached, sends no referrer elsewhere, and forbids forms posting away.
    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await signIn(client, as: .accountant))
            let requests: [(String, HTTPFields)] = [("/", [.cookie: cookie]), ("/aging?format=csv", [.cookie: cookie]),
                                                    ("/customers/K1/ledger.csv", [.cookie: cookie]), ("/api/v1/aging", book.headers(.accountant)),
                                                    ("/api/v1/invoices/NOPE", book.headers(.accountant)), ("/login", [:])]
            for (uri, headers) in requests {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(uri)")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                    #expect(response.headers[.cacheControl] == "no-store", "\(uri)")
                    let policy = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(policy.contains("frame-ancestors 'none'") && policy.contains("form-action 'self'") && policy.contains("base-uri 'none'"), "\(uri)")
                }
            }
        }
    }

    /// Behind a TLS proxy (`X-Forwarded-Proto: https`) every cookie is Secure even without
    /// `--secure-cookies`; over plain http it is not.
    @Test func cookiesAreSecureWhenTheBrowserCameOverTLS() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            for (headers, secure) in [([HTTPField.Name("X-Forwarded-Proto")!: "https"] as HTTPFields, true), ([:], false)] {
                try await client.execute(uri: "/login", method: .get, headers: headers) { response in
                    let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("arbook_login_csrf=") } ?? ""
                    #expect(!cookie.isEmpty)
                    #expect(cookie.contains("Secure") == secure, "\(cookie)")
                }
            }
        }
    }

    /// Posts a sign-in form and returns the answer.
    func attempt(_ client: some TestClientProtocol, name: String, password: String) async throws -> TestResponse {
        let form = try await client.execute(uri: "/login", method: .get) { $0 }
        let loginCSRF = try #require(Self.cookie("arbook_login_csrf", in: form))
        return try await client.execute(uri: "/login", method: .post,
                                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "arbook_login_csrf=\(loginCSRF)"],
                                        body: ByteBuffer(string: "name=\(name)&password=\(password.replacingOccurrences(of: " ", with: "+"))&_csrf=\(loginCSRF)")) { $0 }
    }

    @Test func wrongPasswordsForANameMakeItWaitLongerButNeverLockItOut() async throws {
        let book = try await WebBook()
        let clock = Clock()
        try await book.application(clock: { clock.now }).test(.router) { client in
            // Three failures are free; the next try must wait a second after the last.
            for _ in 0..<3 { #expect(try await attempt(client, name: "admin", password: "wrong password").status == .unauthorized) }
            let refused = try await attempt(client, name: "admin", password: "password for admin")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
            // Each further failure doubles the wait: 2 s after the fourth, 4 s after the fifth.
            clock.advance(1)
            #expect(try await attempt(client, name: "admin", password: "wrong password").status == .unauthorized)
            #expect(try await attempt(client, name: "admin", password: "wrong password").headers[.retryAfter] == "2")
            clock.advance(2)
            #expect(try await attempt(client, name: "admin", password: "wrong password").status == .unauthorized)
            #expect(try await attempt(client, name: "Admin", password: "wrong password").headers[.retryAfter] == "4")
            // No lock-out: once the wait has passed, the right password signs in, and that clears the count.
            clock.advance(4)
            #expect(try await attempt(client, name: "admin", password: "password for admin").status == .seeOther)
            #expect(try await attempt(client, name: "admin", password: "wrong password").status == .unauthorized)
            // Another name was never slowed.
            #expect(try await signIn(client, as: .manager) != nil)
        }
    }

    @Test func guessingManyNamesFromOneAddressIsSlowedToo() async throws {
        let book = try await WebBook()
        let clock = Clock()
        try await book.application(clock: { clock.now }).test(.router) { client async throws in
            // Ten failures from one address, each on a name of its own (none slowed by name), are free;
            for index in 0..<10 { #expect(try await attempt(client, name: "guess\(index)", password: "wrong password").status == .unauthorized) }
            // the eleventh try from that address waits, whatever the name.
            #expect(try await attempt(client, name: "accountant", password: "password for accountant").status == .tooManyRequests)
            clock.advance(1)
            #expect(try await attempt(client, name: "accountant", password: "password for accountant").status == .seeOther)
        }
    }

    @Test func theThrottleForgetsFailuresAfterItsWindowAndStaysBounded() async {
        let throttle = LoginThrottle()
        for second in 0..<5 { await throttle.failed(name: "x", address: "10.0.0.1", now: Int64(second)) }
        #expect(await throttle.wait(name: "x", address: "10.0.0.2", now: 5) > 0)
        #expect(await throttle.wait(name: "x", address: "10.0.0.2", now: 4 + LoginThrottle.windowSeconds) == 0)
        // A flood of names does not grow the table past its bound (the oldest are dropped at once).
        for index in 0..<(LoginThrottle.keysMax + 10) { await throttle.failed(name: "n\(index)", address: "a", now: 0) }
        #expect(await throttle.wait(name: "x", address: "10.0.0.2", now: 6) == 0)
    }

    @Test func signingOutNeedsTheSessionsCSRFTokenAndEndsTheSession() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await signIn(client, as: .accountant))
            #expect(csrf.count == 64)
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: cookie]
            try await client.execute(uri: "/logout", method: .post, headers: form, body: ByteBuffer(string: "_csrf=nope")) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/logout", method: .post, headers: form, body: ByteBuffer(string: "_csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test func sessionsExpireWhenIdle() async throws {
        let book = try await WebBook()
        let time = Clock()
        try await book.application(clock: { time.now }).test(.router) { client in
            let (cookie, _) = try #require(try await signIn(client, as: .manager))
            time.advance(Sessions.idleSeconds - 10)
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .ok) }
            time.advance(Sessions.idleSeconds)
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .seeOther) }
        }
    }

    @Test func pagesSpeakChineseWhenAskedAndTheSwitchSticks() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await signIn(client, as: .manager))
            try await client.execute(uri: "/aging?as_of=2026-03-31", method: .get,
                                     headers: [.cookie: cookie, .acceptLanguage: "zh-CN,zh;q=0.9"]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<html lang=\"zh-CN\">"))
                #expect(html.contains("账龄分析"))
                #expect(html.contains("未到期"))
                #expect(html.contains("¥100.00"))
            }
            let switched = try await client.execute(uri: "/lang/en", method: .get) { $0 }
            let lang = try #require(Self.cookie("lang", in: switched))
            try await client.execute(uri: "/aging", method: .get,
                                     headers: [.cookie: "\(cookie); lang=\(lang)", .acceptLanguage: "zh-CN"]) { response in
                #expect(String(buffer: response.body).contains("<html lang=\"en\">"))
            }
        }
    }

    @Test func theAgingExportsAsCSVThatExcelOpens() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await signIn(client, as: .manager))
            try await client.execute(uri: "/aging?as_of=2026-03-31&format=csv", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(Array(response.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
                #expect(String(buffer: response.body).contains("K2,客户 K2,0.00,0.00,200.00,0.00,0.00,0.00,200.00"))
            }
        }
    }

    @Test func aCollectorsPagesShowOnlyTheirCustomers() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await signIn(client, as: .collector))
            try await client.execute(uri: "/customers", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("客户 K1"))
                #expect(!html.contains("客户 K2"))
            }
        }
    }

    @Test func namesAreEscapedInPages() async throws {
        let book = try await WebBook()
        _ = try await Billing(storage: book.storage, caller: WebBook.operatorCaller)
            .addCustomer(Customer(code: Customer.Code("X1"), name: "<script>alert(1)</script>"))
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await signIn(client, as: .manager))
            try await client.execute(uri: "/customers", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(!html.contains("<script>alert(1)</script>"))
                #expect(html.contains("&lt;script&gt;"))
            }
        }
    }
}

/// A clock a test moves by hand.
final class Clock: @unchecked Sendable {
    private var seconds: Int64 = 1_790_000_000
    var now: Int64 { seconds }
    func advance(_ by: Int64) { seconds += by }
}

@Suite struct CashPageTests {
    let pages = PageTests()

    func receiptForm(csrf: String, reference: String = "R1") -> ByteBuffer {
        ByteBuffer(string: "_csrf=\(csrf)&customer=K1&reference=\(reference)&date=2026-02-01&amount=60.00&method=cash&invoice[]=F1&apply[]=60.00")
    }

    @Test func aReceiptIsRecordedFromTheFormAndAllocated() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await pages.signIn(client, as: .accountant))
            try await client.execute(uri: "/cash?customer=K1&amount=250", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("name=\"apply[]\" value=\"100.00\""))
            }
            try await client.execute(uri: "/cash", method: .post,
                                     headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                     body: receiptForm(csrf: csrf)) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/receipts/R1?done=receipt_recorded")
            }
        }
        let open = try await book.storage.read { try $0.openItems(invoice: Invoice.ID(1)).reduce(0) { $0 + $1.open.minorUnits } }
        #expect(open == 4000)
    }

    @Test func formPostsWithoutTheSessionsCSRFTokenAreRefused() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            try await client.execute(uri: "/cash", method: .post,
                                     headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                     body: receiptForm(csrf: String(repeating: "0", count: 64))) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/import/confirm", method: .post,
                                     headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "_csrf=bad&kind=customers&upload=x")) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await book.storage.read { try $0.credit(kind: .receipt, reference: DocumentNumber("R1")) } == nil)
    }

    @Test func anAuditorCannotRecordAReceiptFromThePage() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await pages.signIn(client, as: .auditor))
            try await client.execute(uri: "/cash", method: .post,
                                     headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                     body: receiptForm(csrf: csrf)) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}

@Suite struct CustomerPageTests {
    let pages = PageTests()

    @Test func theListSearchesSortsAndShowsWhatIsOwed() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .manager))
            try await client.execute(uri: "/customers?sort=balance", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                let first = try #require(html.range(of: "/customers/K2"))
                let second = try #require(html.range(of: "/customers/K1"))
                #expect(first.lowerBound < second.lowerBound, "K2 owes more, so comes first")
                #expect(html.contains("¥200.00"))
            }
            try await client.execute(uri: "/customers?q=k1", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("/customers/K1"))
                #expect(!html.contains("/customers/K2"))
            }
        }
    }

    @Test func theCustomerPageShowsOpenInvoicesAgingAndTheAccount() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            try await client.execute(uri: "/customers/K1", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"customer-balance\">¥100.00<"))
                #expect(html.contains("href=\"/invoices/F1\""))
                #expect(html.contains("id=\"ledger-closing\">¥100.00<"))
            }
        }
    }

    @Test func aCollectorCannotOpenAnotherCollectorsCustomer() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .collector))
            try await client.execute(uri: "/customers/K1", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/customers/K2", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("客户 K2"))
            }
        }
    }
}

@Suite struct AuditPageTests {
    let pages = PageTests()

    @Test(arguments: [(Role.admin, true), (.auditor, true), (.accountant, false), (.collector, false), (.manager, false)])
    func onlyAdminsAndAuditorsReadTheAuditTrail(role: Role, allowed: Bool) async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: role))
            try await client.execute(uri: "/audit", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == (allowed ? .ok : .forbidden))
                let html = String(buffer: response.body)
                #expect(html.contains("invoice <span class=\"data\">F1</span>") == allowed)
                #expect(html.contains("href=\"/audit\"") == allowed)
            }
        }
    }
}

@Suite struct InvoicePageTests {
    let pages = PageTests()

    @Test func invoicesAreFilteredByStatusAndCustomer() async throws {
        let book = try await WebBook()
        _ = try await Cash(storage: book.storage, caller: WebBook.operatorCaller).recordReceipt(
            try Receipt(reference: DocumentNumber("R1"), customer: Customer.Code("K1"), day: Day(year: 2026, month: 2, day: 1)!,
                        amount: Money(minorUnits: 10_000, currency: .cny), method: .cash),
            application: .invoice(DocumentNumber("F1")))
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .manager))
            for (query, shown, hidden) in [("status=paid", "F1", "F2"), ("status=overdue", "F2", "F1"), ("customer=K2", "F2", "F1")] {
                try await client.execute(uri: "/invoices?\(query)", method: .get, headers: [.cookie: cookie]) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("/invoices/\(shown)\""), "\(query)")
                    #expect(!html.contains("/invoices/\(hidden)\""), "\(query)")
                }
            }
            try await client.execute(uri: "/invoices?from=2026-02-30", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }

    @Test func theInvoicePageShowsScheduleAllocationsAndEntries() async throws {
        let book = try await WebBook()
        _ = try await Cash(storage: book.storage, caller: WebBook.operatorCaller).recordReceipt(
            try Receipt(reference: DocumentNumber("R1"), customer: Customer.Code("K1"), day: Day(year: 2026, month: 2, day: 1)!,
                        amount: Money(minorUnits: 4000, currency: .cny), method: .cash),
            application: .invoice(DocumentNumber("F1")))
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .collector))
            try await client.execute(uri: "/invoices/F1", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(html.contains("receipt R1"))
                #expect(html.contains("<td class=\"num\">¥60.00</td>"))
                #expect(html.contains("<td>1122 Accounts receivable</td>"))
            }
            try await client.execute(uri: "/invoices/F2", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/invoices", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("/invoices/F1\""))
                #expect(!html.contains("/invoices/F2\""))
            }
        }
    }
}

@Suite struct FormTests {
    let pages = PageTests()

    func post(_ client: some TestClientProtocol, _ uri: String, cookie: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                 body: ByteBuffer(string: body)) { $0 }
    }

    @Test func theDailyFormsChangeTheBookAndKeepItBalanced() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await pages.signIn(client, as: .accountant))
            var response = try await post(client, "/invoices", cookie: cookie,
                                          "_csrf=\(csrf)&number=F9&customer=K2&issue_date=2026-03-01&due_date=&amount=1%2C000.00&description=")
            #expect(response.headers[.location] == "/invoices/F9?done=invoice_issued")
            response = try await post(client, "/invoices/F9/credit-notes", cookie: cookie,
                                      "_csrf=\(csrf)&number=C9&date=2026-03-05&amount=100.00&reason=return")
            #expect(response.status == .seeOther)
            response = try await post(client, "/cash", cookie: cookie,
                                      "_csrf=\(csrf)&customer=K2&reference=ADV&date=2026-03-10&amount=300.00&method=bank_transfer")
            #expect(response.status == .seeOther)
            response = try await post(client, "/allocations", cookie: cookie, "_csrf=\(csrf)&reference=ADV&invoice=F9&amount=")
            #expect(response.headers[.location] == "/invoices/F9?done=applied&ref=ADV")
            try await client.execute(uri: "/invoices/F9", method: .get, headers: [.cookie: cookie]) { page in
                let html = String(buffer: page.body)
                #expect(html.contains("receipt ADV"))
                #expect(html.contains("credit note C9"))
                #expect(html.contains("¥600.00"), "1,000 − 100 − 300 open")
            }
            let allocation = try await book.storage.read { try $0.credit(kind: .receipt, reference: DocumentNumber("ADV")) }
            let live = try await book.storage.read { try $0.liveAllocations(credit: allocation!.id) }
            response = try await post(client, "/allocations/\(live[0].id)/reversal", cookie: cookie,
                                      "_csrf=\(csrf)&date=2026-03-11&reason=wrong")
            #expect(response.status == .seeOther)
            response = try await post(client, "/receipts/reversal", cookie: cookie, "_csrf=\(csrf)&reference=ADV&date=2026-03-12&reason=bounced")
            #expect(response.status == .seeOther)
            response = try await post(client, "/invoices", cookie: cookie,
                                      "_csrf=bad&number=F10&customer=K2&issue_date=2026-03-01&amount=1")
            #expect(response.status == .forbidden)
            response = try await post(client, "/invoices", cookie: cookie,
                                      "_csrf=\(csrf)&number=F11&customer=K2&issue_date=2026-03-40&amount=1.001")
            #expect(response.status == .unprocessableContent)
            // The form comes back with what was typed and each reason beside its field.
            let html = String(buffer: response.body)
            #expect(html.contains("name=\"number\" value=\"F11\""))
            #expect(html.contains("id=\"error-issue_date\""))
            #expect(html.contains("id=\"error-amount\""))
            #expect(html.contains("href=\"/invoices\""), "the navigation is there")
        }
        #expect(try await BookCheck(storage: book.storage, caller: WebBook.operatorCaller).run().passed)
        #expect(try await book.storage.read { try $0.invoice(number: DocumentNumber("F10")) } == nil)
        let open = try await book.storage.read { reader in
            try reader.openItems(invoice: reader.invoice(number: DocumentNumber("F9"))!.id).reduce(0) { $0 + $1.open.minorUnits }
        }
        #expect(open == 90_000)
    }
}

@Suite struct AgingCellPageTests {
    let pages = PageTests()

    @Test func aCellOpensTheInvoicesBehindIt() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .collector))
            try await client.execute(uri: "/aging?as_of=2026-03-31", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("/aging/cell?customer=K1&amp;bucket=2&amp;as_of=2026-03-31"))
            }
            try await client.execute(uri: "/aging/cell?customer=K1&bucket=2&as_of=2026-03-31", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("href=\"/invoices/F1\""))
                #expect(html.contains("id=\"cell-total\">¥100.00<"))
            }
            try await client.execute(uri: "/aging/cell?customer=K2&bucket=2&as_of=2026-03-31", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

@Suite struct LargeCustomerPageTests {
    let pages = PageTests()

    /// A customer with more open invoices and movements than the page lists: the page says how many
    /// there are and links to all of them, and its aging still covers every item.
    @Test func theCustomerPageIsBoundedAndSaysWhatIsNotListed() async throws {
        let book = try await WebBook()
        let billing = Billing(storage: book.storage, caller: WebBook.operatorCaller)
        let count = CustomerFile.openInvoicesShown + 30
        for index in 0..<count {
            _ = try await billing.issueInvoice(InvoiceDraft(number: DocumentNumber("B\(index)"), customer: Customer.Code("K2"),
                                                            issue: Day(year: 2026, month: 5, day: 1 + index % 28)!,
                                                            amount: Money(minorUnits: 100, currency: .cny)))
        }
        for index in 0..<CustomerFile.creditsShown + 5 {
            _ = try await Cash(storage: book.storage, caller: WebBook.operatorCaller).recordReceipt(
                try Receipt(reference: DocumentNumber("A\(index)"), customer: Customer.Code("K2"), day: Day(year: 2026, month: 6, day: 1 + index % 28)!,
                            amount: Money(minorUnits: 1, currency: .cny), method: .bankTransfer), application: .advance)
        }
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .accountant))
            try await client.execute(uri: "/customers/K2", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                // F2 is due first, then the first 99 of the B invoices.
                #expect(html.components(separatedBy: "href=\"/invoices/B").count - 1 == CustomerFile.openInvoicesShown - 1)
                #expect(html.contains("\(CustomerFile.openInvoicesShown) / \(count + 1)"))
                #expect(html.contains("/invoices?customer=K2&amp;status=open"))
                #expect(html.contains("\(CustomerFile.creditsShown) / \(CustomerFile.creditsShown + 5)"))
                // F2 (200.00) and the 130 invoices of 1.00, less 55 advances of 0.01.
                #expect(html.contains("id=\"customer-balance\">¥329.45<"))
                #expect(html.contains("id=\"ledger-closing\">¥329.45<"))
                // 185 movements in the last 90 days: all listed, none left out.
                #expect(!html.contains("ledger-earlier"))
            }
            try await client.execute(uri: "/customers/K2/ledger.csv?from=2026-05-01", method: .get, headers: [.cookie: cookie]) { response in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(text.hasPrefix("\u{FEFF}day,document,kind,debit,credit,balance"))
                #expect(text.contains("2026-05-01,,opening,,,200.00"))
                // Header, opening, each invoice and advance, closing.
                #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1 + 1 + count + CustomerFile.creditsShown + 5 + 1)
            }
        }
    }

    @Test func aCollectorCannotExportAnotherCollectorsLedger() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .collector))
            try await client.execute(uri: "/customers/K1/ledger.csv", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/customers/K2/ledger.csv", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .notFound) }
        }
        try await book.application().test(.router) { client in
            try await client.execute(uri: "/customers/K1/ledger.csv", method: .get) { #expect($0.status != .ok) }
        }
    }
}
