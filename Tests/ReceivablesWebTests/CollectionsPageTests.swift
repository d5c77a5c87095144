import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Receivables
import Testing

/// The collections pages: worklist, outbox, disputes, and the customer page's timeline and forms.
/// The book's today is 2026-06-30: F1 (K1, the collector's) and F2 (K2) are long overdue.
@Suite struct CollectionsPageTests {
    let pages = PageTests()
    let forms = FormTests()

    func dunned() async throws -> WebBook {
        let book = try await WebBook()
        _ = try await Collections(storage: book.storage, caller: WebBook.operatorCaller).run(asOf: Day(year: 2026, month: 6, day: 30)!, approve: true)
        return book
    }

    @Test func aCollectorsHomeIsTheirWorklist() async throws {
        let book = try await dunned()
        try await book.application().test(.router) { client in
            let (cookie, _) = try #require(try await pages.signIn(client, as: .collector))
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"worklist\""))
                #expect(html.contains("/customers/K1#timeline") && !html.contains("/customers/K2"))
            }
            let (managerCookie, _) = try #require(try await pages.signIn(client, as: .manager))
            try await client.execute(uri: "/worklist", method: .get, headers: [.cookie: managerCookie, .acceptLanguage: "zh-CN"]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("/customers/K1#timeline") && html.contains("/customers/K2#timeline"))
                #expect(html.contains("逾期") && html.contains("催收工作台"))
            }
        }
    }

    @Test func theOutboxShowsPreviewsAndResendsWithItsCSRFToken() async throws {
        let book = try await dunned()
        let messages = try await Outbox(storage: book.storage, caller: WebBook.operatorCaller).messages(status: nil)
        let k2 = try #require(messages.first { $0.message.subject.contains("K2") })
        let k1 = try #require(messages.first { $0.message.subject.contains("K1") && $0.message.channel == .letter })
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await pages.signIn(client, as: .collector))
            try await client.execute(uri: "/outbox", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("/outbox/\(k1.id)\"") && !html.contains("/outbox/\(k2.id)\""))
            }
            try await client.execute(uri: "/outbox/\(k2.id)", method: .get, headers: [.cookie: cookie]) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/outbox/\(k1.id)", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"body\"") && html.contains("F1"))
            }
            try await client.execute(uri: "/outbox/\(k1.id)/letter", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("@page { size: A4"))
            }
            let refused = try await forms.post(client, "/outbox/\(k1.id)/resend", cookie: cookie, "_csrf=wrong")
            #expect(refused.status == .forbidden)
            let resent = try await forms.post(client, "/outbox/\(k1.id)/resend", cookie: cookie, "_csrf=\(csrf)")
            #expect(resent.status == .seeOther)
        }
        let audit = try await AuditTrail(storage: book.storage, caller: WebBook.operatorCaller).records(limit: 5)
        #expect(audit.first?.action == "resend" && audit.first?.actor == "collector")
    }

    @Test func theCustomerPageRecordsActivitiesPromisesAndDisputesIntoItsTimeline() async throws {
        let book = try await dunned()
        try await book.application().test(.router) { client in
            let (cookie, csrf) = try #require(try await pages.signIn(client, as: .collector))
            var response = try await forms.post(client, "/customers/K1/activities", cookie: cookie,
                                                "_csrf=\(csrf)&kind=call&outcome=CFO+promised+a+transfer&invoice=F1&next_action_day=2026-07-03&next_action=check+bank")
            #expect(response.status == .seeOther)
            response = try await forms.post(client, "/customers/K1/promises", cookie: cookie, "_csrf=\(csrf)&amount=60&due=2026-07-03&invoice=&note=")
            #expect(response.status == .seeOther)
            response = try await forms.post(client, "/customers/K1/disputes", cookie: cookie, "_csrf=\(csrf)&invoice=F1&amount=10&reason=price")
            #expect(response.status == .seeOther)
            response = try await forms.post(client, "/customers/K2/activities", cookie: cookie, "_csrf=\(csrf)&kind=call&outcome=x")
            #expect(response.status == .notFound)
            response = try await forms.post(client, "/customers/K1/activities", cookie: cookie, "_csrf=\(csrf)&kind=fax&outcome=x")
            #expect(response.status == .unprocessableContent)
            try await client.execute(uri: "/customers/K1", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("CFO promised a transfer → 2026-07-03 check bank"))
                #expect(html.contains("¥60.00 → 2026-07-03 (pending)"))
                #expect(html.contains("¥10.00 price (open)"))
                #expect(html.contains("Dunning 6"))
            }
            try await client.execute(uri: "/disputes", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("/invoices/F1\""))
            }
            let (auditorCookie, auditorCSRF) = try #require(try await pages.signIn(client, as: .auditor))
            response = try await forms.post(client, "/customers/K1/activities", cookie: auditorCookie, "_csrf=\(auditorCSRF)&kind=call&outcome=x")
            #expect(response.status == .forbidden)
        }
        let disputes = try await Collections(storage: book.storage, caller: WebBook.operatorCaller).disputes(status: .open)
        #expect(disputes.map(\.amount.minorUnits) == [1_000])
    }
}
