import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Receivables
import Testing

@Suite struct APITests {
    static let protectedRoutes: [(HTTPRequest.Method, String)] = [
        (.get, "/api/v1/aging"), (.get, "/api/v1/customers"), (.post, "/api/v1/customers"), (.get, "/api/v1/customers/K1/ledger"),
        (.post, "/api/v1/invoices"), (.post, "/api/v1/receipts"), (.post, "/api/v1/receipts/R1/allocations"),
    ]

    @Test func healthAndMetricsAnswerWithoutSigningIn() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "ok")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func everyAPIRouteRefusesAnonymousAndBadTokens() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            for (method, uri) in Self.protectedRoutes {
                for authorization in [nil, "Bearer arb_" + String(repeating: "0", count: 64), "Basic YWRtaW46YWRtaW4="] {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let authorization { headers[.authorization] = authorization }
                    try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: "{}")) { response in
                        #expect(response.status == .unauthorized, "\(method) \(uri)")
                        #expect(response.headers[.contentType] == "application/problem+json")
                    }
                }
            }
        }
    }

    @Test func agingHasTheCLIsShape() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/aging?as_of=2026-03-31&buckets=30,60", method: .get, headers: book.headers(.manager)) { response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["as_of"] as? String == "2026-03-31")
                #expect(json["buckets"] as? [String] == ["current", "1-30", "31-60", "61+"])
                let customers = json["customers"] as? [[String: Any]] ?? []
                #expect(customers.map { $0["code"] as? String } == ["K1", "K2"])
                #expect(customers.first?["buckets"] as? [String] == ["0.00", "0.00", "100.00", "0.00"])
                #expect((json["totals"] as? [String: Any])?["balance"] as? String == "300.00")
            }
            try await client.execute(uri: "/api/v1/aging?basis=sideways", method: .get, headers: book.headers(.manager)) { response in
                #expect(response.status == .unprocessableContent)
                #expect((response.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "basis")
            }
        }
    }

    @Test func everyBadFieldIsListed() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let body = #"{"number": "F9", "customer": "K1", "issue_date": "2026-02-30", "amount": "1.234"}"#
            try await client.execute(uri: "/api/v1/invoices", method: .post, headers: book.headers(.accountant), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentType] == "application/problem+json")
                let errors = response.json["errors"] as? [[String: Any]] ?? []
                #expect(errors.map { $0["field"] as? String } == ["issue_date", "amount"])
            }
            try await client.execute(uri: "/api/v1/invoices", method: .post, headers: book.headers(.accountant), body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/invoices", method: .post, headers: book.headers(.accountant),
                                     body: ByteBuffer(string: #"{"number": "F9", "customer": "K404", "issue_date": "2026-02-01", "amount": "1"}"#)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aRepeatedPostWithTheSameKeyWritesOnce() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let body = ByteBuffer(string: #"{"reference": "R1", "customer": "K1", "date": "2026-02-01", "amount": "60", "method": "微信", "invoice": "F1"}"#)
            var first = ""
            try await client.execute(uri: "/api/v1/receipts", method: .post, headers: book.headers(.accountant, idempotencyKey: "pay-1"), body: body) { response in
                #expect(response.status == .created)
                #expect(response.json["unapplied"] as? String == "0.00")
                first = String(buffer: response.body)
            }
            try await client.execute(uri: "/api/v1/receipts", method: .post, headers: book.headers(.accountant, idempotencyKey: "pay-1"), body: body) { response in
                #expect(response.status == .created)
                #expect(String(buffer: response.body) == first)
                #expect(response.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            }
            let other = ByteBuffer(string: #"{"reference": "R2", "customer": "K1", "date": "2026-02-01", "amount": "1", "method": "cash"}"#)
            try await client.execute(uri: "/api/v1/receipts", method: .post, headers: book.headers(.accountant, idempotencyKey: "pay-1"), body: other) { response in
                #expect(response.status == .conflict)
            }
        }
        let open = try await book.storage.read { reader in try reader.openItems(invoice: Invoice.ID(1)).reduce(0) { $0 + $1.open.minorUnits } }
        #expect(open == 4000)
        #expect(try await BookCheck(storage: book.storage, caller: WebBook.operatorCaller).run().passed)
    }

    /// A body over a route's limit is answered 413 with problem+json naming the limit, not 500.
    @Test func anOversizedBodyIsContentTooLarge() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let body = ByteBuffer(string: #"{"reference": ""# + String(repeating: "x", count: 2 << 20) + #""}"#)
            for uri in ["/api/v1/receipts", "/api/v1/customers"] {
                try await client.execute(uri: uri, method: .post, headers: book.headers(.accountant), body: body) { response in
                    #expect(response.status == .contentTooLarge, "\(uri)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(String(buffer: response.body).contains("JSON and forms 1 MiB"))
                }
            }
        }
    }

    /// The key's fingerprint is method, path, query and body: the same key on another query is another
    /// request (a conflict), not a replay of the first.
    @Test func theIdempotencyKeyCoversTheQuery() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let body = ByteBuffer(string: #"{"reference": "R1", "customer": "K1", "date": "2026-02-01", "amount": "60", "method": "cash"}"#)
            try await client.execute(uri: "/api/v1/receipts?note=a", method: .post, headers: book.headers(.accountant, idempotencyKey: "q-1"), body: body) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/api/v1/receipts?note=b", method: .post, headers: book.headers(.accountant, idempotencyKey: "q-1"), body: body) { response in
                #expect(response.status == .conflict)
                #expect(response.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
            }
        }
    }

    @Test func anAdvanceIsRecordedAndAllocatedOverTheAPI() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let advance = ByteBuffer(string: #"{"reference": "ADV", "customer": "K2", "date": "2026-02-01", "amount": "500", "method": "bank_transfer"}"#)
            try await client.execute(uri: "/api/v1/receipts", method: .post, headers: book.headers(.admin), body: advance) { response in
                #expect(response.status == .created)
                #expect(response.json["unapplied"] as? String == "500.00")
            }
            try await client.execute(uri: "/api/v1/receipts/ADV/allocations", method: .post, headers: book.headers(.admin),
                                     body: ByteBuffer(string: #"{"invoice": "F2", "amount": "150"}"#)) { response in
                #expect(response.status == .created)
                let allocations = response.json["allocations"] as? [[String: Any]] ?? []
                #expect(allocations.map { $0["amount"] as? String } == ["150.00"])
                #expect(allocations.first?["date"] as? String == "2026-02-01")
            }
            try await client.execute(uri: "/api/v1/receipts/ADV/allocations", method: .post, headers: book.headers(.admin),
                                     body: ByteBuffer(string: #"{"invoice": "F2", "amount": "51"}"#)) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/customers/K2/ledger?to=2026-12-31", method: .get, headers: book.headers(.admin)) { response in
                #expect(response.json["closing"] as? String == "-300.00")
            }
            // F2 (200.00, due on issue 2026-01-10) has 50.00 open and overdue; 350.00 of the advance is left.
            try await client.execute(uri: "/api/v1/customers/K2", method: .get, headers: book.headers(.admin)) { response in
                #expect(response.json["open"] as? String == "50.00")
                #expect(response.json["overdue"] as? String == "50.00")
                #expect(response.json["unapplied"] as? String == "350.00")
                #expect(response.json["balance"] as? String == "-300.00")
                #expect(response.json["as_of"] as? String == "2026-06-30")
            }
        }
        #expect(try await BookCheck(storage: book.storage, caller: WebBook.operatorCaller).run().passed)
    }

    @Test func aNewCustomerOwesInTheBooksCurrencyUnlessTheRequestNamesOne() async throws {
        var settings = BookSettings()
        settings.currency = Currency(code: "USD")!
        let book = try await WebBook(settings: settings)
        try await book.application().test(.router) { client in
            let cases = [(#"{"code": "U1", "name": "x", "credit_limit": "100.50"}"#, "USD"), (#"{"code": "J1", "name": "y", "currency": "JPY"}"#, "JPY")]
            for (body, currency) in cases {
                try await client.execute(uri: "/api/v1/customers", method: .post, headers: book.headers(.accountant),
                                         body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .created)
                    #expect(response.json["currency"] as? String == currency)
                }
            }
            // A credit limit is read in the customer's currency: yen have no minor units.
            try await client.execute(uri: "/api/v1/customers", method: .post, headers: book.headers(.accountant),
                                     body: ByteBuffer(string: #"{"code": "J2", "name": "z", "currency": "JPY", "credit_limit": "100.50"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("credit_limit"))
            }
        }
        let limit = try await book.storage.read { try $0.customer(code: Customer.Code("U1"))?.customer.creditLimit }
        #expect(limit == Money(minorUnits: 10_050, currency: Currency(code: "USD")!))
    }

    @Test(arguments: [Role.auditor, .manager, .collector])
    func readOnlyRolesCannotWrite(role: Role) async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let writes: [(String, String)] = [
                ("/api/v1/customers", #"{"code": "K9", "name": "x"}"#),
                ("/api/v1/invoices", #"{"number": "F9", "customer": "K1", "issue_date": "2026-02-01", "amount": "1"}"#),
                ("/api/v1/receipts", #"{"reference": "R9", "customer": "K1", "date": "2026-02-01", "amount": "1"}"#),
                ("/api/v1/receipts/R9/allocations", #"{"invoice": "F1"}"#),
                ("/api/v1/invoices/F1/credit-notes", #"{"number": "C9", "date": "2026-02-01", "amount": "1", "reason": "x"}"#),
                ("/api/v1/receipts/R9/reversal", #"{"date": "2026-02-01", "reason": "x"}"#),
                ("/api/v1/allocations/1/reversal", #"{"date": "2026-02-01", "reason": "x"}"#),
            ]
            for (uri, body) in writes {
                try await client.execute(uri: uri, method: .post, headers: book.headers(role), body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .forbidden, "\(role) POST \(uri)")
                }
            }
        }
        #expect(try await book.storage.read { try $0.customer(code: Customer.Code("K9")) } == nil)
    }

    @Test func aCollectorSeesOnlyTheirCustomersEvenByGuessing() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/customers", method: .get, headers: book.headers(.collector)) { response in
                #expect((response.json["customers"] as? [[String: Any]])?.map { $0["code"] as? String } == ["K1"])
            }
            try await client.execute(uri: "/api/v1/aging?as_of=2026-06-30", method: .get, headers: book.headers(.collector)) { response in
                #expect((response.json["customers"] as? [[String: Any]])?.map { $0["code"] as? String } == ["K1"])
            }
            for code in ["K2", "K404"] {
                try await client.execute(uri: "/api/v1/customers/\(code)/ledger", method: .get, headers: book.headers(.collector)) { response in
                    #expect(response.status == .notFound)
                    #expect(!String(buffer: response.body).contains("客户 K2"))
                }
            }
        }
    }

    @Test func customersArePagedWithACursor() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/customers?limit=1", method: .get, headers: book.headers(.manager)) { response in
                #expect((response.json["customers"] as? [[String: Any]])?.count == 1)
                #expect(response.json["next"] as? String == "K1")
            }
            try await client.execute(uri: "/api/v1/customers?limit=1&after=K1", method: .get, headers: book.headers(.manager)) { response in
                #expect((response.json["customers"] as? [[String: Any]])?.first?["code"] as? String == "K2")
            }
            try await client.execute(uri: "/api/v1/customers?limit=100000", method: .get, headers: book.headers(.manager)) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }

    @Test func aRevokedTokenNoLongerWorks() async throws {
        let book = try await WebBook()
        let tokens = Tokens(storage: book.storage, caller: WebBook.operatorCaller)
        let id = try #require(try await tokens.list().first { $0.user == "manager" }?.id)
        try await tokens.revoke(id)
        try await book.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/aging", method: .get, headers: book.headers(.manager)) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}

@Suite struct ImportAPITests {
    @Test func aBadFileIsRefusedRowByRowAndAGoodOneImportsOnce() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let bad = "number,customer,issue_date,amount\nX1,K1,2026-02-01,10\nX2,K404,2026-02-30,1.234\n"
            try await client.execute(uri: "/api/v1/imports/invoices", method: .post, headers: book.headers(.accountant),
                                     body: ByteBuffer(string: bad)) { response in
                #expect(response.status == .unprocessableContent)
                let errors = response.json["errors"] as? [[String: Any]] ?? []
                #expect(errors.map { $0["line"] as? Int } == [3])
                #expect(errors.first?["field"] as? String == "customer")
            }
            let good = "number,customer,issue_date,amount\nX1,K1,2026-02-01,10\n"
            try await client.execute(uri: "/api/v1/imports/invoices?dry_run=true", method: .post, headers: book.headers(.accountant),
                                     body: ByteBuffer(string: good)) { response in
                #expect(response.json["status"] as? String == "checked")
            }
            try await client.execute(uri: "/api/v1/imports/invoices", method: .post, headers: book.headers(.accountant),
                                     body: ByteBuffer(string: good)) { response in
                #expect(response.status == .created)
                #expect(response.json["rows"] as? Int == 1)
            }
            try await client.execute(uri: "/api/v1/imports/invoices", method: .post, headers: book.headers(.accountant),
                                     body: ByteBuffer(string: good)) { response in
                #expect(response.json["status"] as? String == "already_imported")
            }
            try await client.execute(uri: "/api/v1/imports/invoices", method: .post, headers: book.headers(.auditor),
                                     body: ByteBuffer(string: good)) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await book.storage.read { try $0.invoice(number: DocumentNumber("X1")) } != nil)
    }
}

@Suite struct ReadAPITests {
    @Test func theJournalPagesWithACursorAndIsClosedToCollectors() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            var next: Int?
            try await client.execute(uri: "/api/v1/journal?limit=1", method: .get, headers: book.headers(.auditor)) { response in
                let entries = response.json["entries"] as? [[String: Any]] ?? []
                #expect(entries.count == 1)
                #expect((entries.first?["lines"] as? [[String: Any]])?.first?["account"] as? String == "1122")
                next = response.json["next"] as? Int
            }
            let cursor = try #require(next)
            try await client.execute(uri: "/api/v1/journal?limit=10&after=\(cursor)", method: .get, headers: book.headers(.auditor)) { response in
                let entries = response.json["entries"] as? [[String: Any]] ?? []
                #expect(entries.map { $0["document"] as? String } == ["F2"])
                #expect(response.json["next"] is NSNull)
            }
            try await client.execute(uri: "/api/v1/journal", method: .get, headers: book.headers(.collector)) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func invoicesAreListedForWhatTheCallerMaySee() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            try await client.execute(uri: "/api/v1/invoices?status=open", method: .get, headers: book.headers(.collector)) { response in
                #expect((response.json["invoices"] as? [[String: Any]])?.map { $0["number"] as? String } == ["F1"])
            }
            try await client.execute(uri: "/api/v1/invoices?status=sideways", method: .get, headers: book.headers(.manager)) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/customers/K2", method: .get, headers: book.headers(.collector)) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

@Suite struct CollectionsAPITests {
    @Test func promisesActivitiesAndDisputesAreRecordedForTheCustomersTheCallerSees() async throws {
        let book = try await WebBook()
        try await book.application().test(.router) { client in
            let promise = ByteBuffer(string: #"{"amount": "50.00", "due": "2026-07-10"}"#)
            try await client.execute(uri: "/api/v1/customers/K1/promises", method: .post, headers: book.headers(.collector), body: promise) { response in
                #expect(response.status == .created && response.json["id"] as? Int == 1)
            }
            try await client.execute(uri: "/api/v1/customers/K2/promises", method: .post, headers: book.headers(.collector), body: promise) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/customers/K1/promises", method: .post, headers: book.headers(.auditor), body: promise) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/customers/K1/activities", method: .post, headers: book.headers(.collector),
                                     body: ByteBuffer(string: #"{"kind": "fax", "outcome": "x"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect((response.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "kind")
            }
            try await client.execute(uri: "/api/v1/invoices/F1/disputes", method: .post, headers: book.headers(.collector),
                                     body: ByteBuffer(string: #"{"amount": "100.01", "reason": "price"}"#)) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/worklist?as_of=2026-06-30", method: .get, headers: book.headers(.collector)) { response in
                let customers = response.json["customers"] as? [[String: Any]] ?? []
                #expect(customers.map { $0["code"] as? String } == ["K1"])
                #expect(customers.first?["overdue"] as? String == "100.00")
            }
            try await client.execute(uri: "/api/v1/dunning/plan?as_of=2026-06-30", method: .get, headers: book.headers(.manager)) { response in
                let notices = response.json["notices"] as? [[String: Any]] ?? []
                // K1's promise (50.00 by 2026-07-10) pauses its dunning; K2 is chased.
                #expect(notices.map { $0["customer"] as? String } == ["K2"])
            }
        }
    }
}
