@testable import Bookkeeping
import Receivables
import Testing

@Suite struct WorklistTests {
    /// On 2026-04-01: K1 broke a promise due 2026-03-25; K2 promised to pay today; K3 has a call due
    /// today; K4 is only overdue (the most); K5 owes nothing overdue but disputes an invoice; K6 owes
    /// nothing yet (due later); K7 belongs to another collector.
    func book() async throws -> (TestBook, Principal) {
        let book = try TestBook()
        for code in ["K1", "K2", "K3", "K4", "K5", "K6", "K7"] { try await book.customer(code) }
        try await book.invoice("F1", "K1", "2026-01-01", "100")
        try await book.invoice("F2", "K2", "2026-01-01", "200")
        try await book.invoice("F3", "K3", "2026-01-01", "300")
        try await book.invoice("F4", "K4", "2026-01-01", "5000")
        try await book.invoice("F5", "K5", "2026-03-20", "50")
        try await book.invoice("F6", "K6", "2026-03-31", "60")
        try await book.invoice("F7", "K7", "2026-01-01", "9000")
        let collections = Collections(storage: book.storage, caller: book.caller)
        _ = try await collections.promise(customer: Customer.Code("K1"), invoice: nil, amount: "100", made: TestBook.day("2026-03-10"),
                                          due: TestBook.day("2026-03-25"), note: "")
        _ = try await collections.promise(customer: Customer.Code("K2"), invoice: nil, amount: "200", made: TestBook.day("2026-03-10"),
                                          due: TestBook.day("2026-04-01"), note: "")
        _ = try await collections.recordActivity(customer: Customer.Code("K3"), invoice: DocumentNumber("F3"), kind: .call,
                                                 day: TestBook.day("2026-03-20"), outcome: "will check with finance",
                                                 nextActionDay: TestBook.day("2026-04-01"), nextAction: "call again")
        _ = try await collections.openDispute(invoice: DocumentNumber("F5"), amount: nil, reason: "wrong price", day: TestBook.day("2026-03-21"))
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        let zhang = try await users.add(name: "zhang", displayName: "", password: "correct horse 1", role: .collector)
        try await users.assign(customers: ["K1", "K2", "K3", "K4", "K5", "K6"].map { Customer.Code($0) }, to: "zhang")
        return (book, zhang.principal)
    }

    @Test func theWorklistPutsWhatIsWorthDoingTodayFirst() async throws {
        let (book, zhang) = try await book()
        let rows = try await Collections(storage: book.storage, caller: book.acting(as: zhang).caller).worklist(asOf: TestBook.day("2026-04-01"))
        #expect(rows.map(\.code.rawValue) == ["K1", "K2", "K3", "K4", "K5"])
        #expect(rows[0].reasons == [.brokenPromise, .overdue])
        #expect(rows[1].reasons == [.promiseDueToday, .overdue])
        #expect(rows[2].reasons == [.nextActionDue, .overdue] && rows[2].nextAction == NextAction(day: TestBook.day("2026-04-01"), action: "call again"))
        #expect(rows[3].overdue.minorUnits == 500_000 && rows[3].daysOverdue == 60)
        #expect(rows[4].reasons == [.openDispute] && rows[4].openDisputes == 1)
        // A manager sees everyone: K7's larger debt comes before K4's.
        let all = try await Collections(storage: book.storage, caller: book.caller).worklist(asOf: TestBook.day("2026-04-01"))
        #expect(all.map(\.code.rawValue) == ["K1", "K2", "K3", "K7", "K4", "K5"])
        // Once K1 pays what it promised, the broken promise counts as kept and leaves the top.
        try await book.receipt("R1", "K1", "2026-04-01", "100", .invoice(DocumentNumber("F1")))
        let after = try await Collections(storage: book.storage, caller: book.caller).worklist(asOf: TestBook.day("2026-04-01"))
        #expect(!after.contains { $0.code.rawValue == "K1" })
    }

    @Test func theTimelineHoldsActivitiesMessagesPromisesAndDisputesNewestFirst() async throws {
        let (book, zhang) = try await book()
        _ = try await Collections(storage: book.storage, caller: book.caller).run(asOf: TestBook.day("2026-03-26"), approve: true)
        let timeline = try await Collections(storage: book.storage, caller: book.caller).timeline(customer: Customer.Code("K3"),
                                                                                                asOf: TestBook.day("2026-04-01"))
        #expect(timeline.map(\.day) == timeline.map(\.day).sorted(by: >))
        guard case .notice(let notice) = timeline.first else { Issue.record("the dunning message first: \(timeline)"); return }
        #expect(notice.level == 4)  // F3 was due 2026-01-31: 54 days late on 2026-03-26
        guard case .activity(let call) = timeline.last else { Issue.record("the call last"); return }
        #expect(call.outcome == "will check with finance" && call.invoice == DocumentNumber("F3") && call.actor == "cli")
        await #expect(throws: BookError.notFound(what: "customer", key: "K7")) {
            try await Collections(storage: book.storage, caller: book.acting(as: zhang).caller).timeline(customer: Customer.Code("K7"),
                                                                                                         asOf: TestBook.day("2026-04-01"))
        }
    }

    @Test func badActivitiesAreRefusedNamingTheField() async throws {
        let (book, _) = try await book()
        let collections = Collections(storage: book.storage, caller: book.caller)
        let cases: [(String, Day?, String, String)] = [
            ("", nil, "", "outcome"),
            ("called", TestBook.day("2026-03-01"), "again", "next_action_day"),
            ("called", TestBook.day("2026-04-05"), "", "next_action"),
        ]
        for (outcome, next, action, field) in cases {
            await #expect {
                try await collections.recordActivity(customer: Customer.Code("K1"), invoice: nil, kind: .call, day: TestBook.day("2026-03-20"),
                                                     outcome: outcome, nextActionDay: next, nextAction: action)
            } throws: { error in
                if case BookError.invalid(let named, _) = error { return named == field }
                return false
            }
        }
        await #expect(performing: {
            try await collections.recordActivity(customer: Customer.Code("K1"), invoice: DocumentNumber("F2"), kind: .note,
                                                 day: TestBook.day("2026-03-20"), outcome: "x", nextActionDay: nil, nextAction: "")
        }, throws: notFound("F2"))
    }
}
