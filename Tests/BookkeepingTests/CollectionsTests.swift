@testable import Bookkeeping
import Receivables
import Testing

func forbidden(_ permission: Permission) -> @Sendable (any Error) -> Bool {
    { error in
        guard case BookError.forbidden(let refused) = error else { return false }
        return refused == permission
    }
}

func notFound(_ key: String) -> @Sendable (any Error) -> Bool {
    { error in
        guard case BookError.notFound(_, let missing) = error else { return false }
        return missing == key
    }
}

@Suite struct CollectionsTests {
    /// K1 owes F1 (1,000.00, due 2026-01-31), 60 days overdue on 2026-04-01.
    func overdueBook() async throws -> TestBook {
        let book = try TestBook()
        try await book.customer("K1")
        try await book.customer("K2")
        try await book.invoice("F1", "K1", "2026-01-01", "1000")
        try await book.invoice("F2", "K2", "2026-01-01", "500")
        return book
    }

    func collections(_ book: TestBook, as role: Role? = nil, user: User.ID? = nil) -> Collections {
        let acting = role.map { book.acting(as: Principal(user: user, name: $0.rawValue, role: $0)) } ?? book
        return Collections(storage: acting.storage, caller: acting.caller)
    }

    @Test(arguments: [Role.collector, .auditor])
    func onlyKeepersOfTheBookRunDunning(role: Role) async throws {
        let book = try await overdueBook()
        await #expect(performing: { try await collections(book, as: role).run(asOf: TestBook.day("2026-04-01")) }, throws: forbidden(.runDunning))
        #expect(try await book.storage.read { try $0.dunningRunExists(day: TestBook.day("2026-04-01")) } == false)
    }

    @Test func aLateFeeIsWaivedOnlyByAManagerAndOnlyAsAWaiver() async throws {
        let book = try await overdueBook()
        let run = try await collections(book).run(asOf: TestBook.day("2026-03-02"), approve: true)
        let fee = try #require(run.feeInvoices.first { $0.rawValue.hasPrefix("LF-K1-") })
        // An ordinary credit note cannot lower a late fee.
        await #expect(throws: BookError.invalid(field: "invoice", reason: "\(fee) is a late fee: a manager waives it instead")) {
            try await book.billing.issueCreditNote(CreditNote(number: DocumentNumber("CN1"), invoice: fee, day: TestBook.day("2026-03-03"),
                                                              amount: TestBook.cny("10"), reason: "goodwill"))
        }
        await #expect(performing: {
            try await collections(book, as: .accountant).waiveFee(fee, waiver: DocumentNumber("W1"), day: TestBook.day("2026-03-03"), reason: "first time")
        }, throws: forbidden(.waiveFees))
        let waived = try await collections(book, as: .manager).waiveFee(fee, waiver: DocumentNumber("W1"), day: TestBook.day("2026-03-03"),
                                                                        reason: "first time")
        #expect(waived.amount.minorUnits == 5_000 + 1_150)
        #expect(try await book.openOn(fee.rawValue) == 0)
        // K1's fee income is back to nothing: charged on 6301, waived against it (K2's fee stands).
        let entries = try await book.storage.read { reader in
            try reader.journalEntries(try reader.journalEntryIDs(from: TestBook.day("2026-03-01"), to: TestBook.day("2026-03-31"), after: JournalEntry.ID(0), limit: 100))
        }
        let feeIncome = entries.flatMap(\.entry.lines).filter { $0.account.code == "6301" && $0.customer == Customer.ID(1) }.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
        #expect(feeIncome == 0)
        try await book.expectTiesOut()
        await #expect(throws: BookError.invalid(field: "invoice", reason: "F1 is not a late fee")) {
            try await collections(book, as: .manager).waiveFee(DocumentNumber("F1"), waiver: DocumentNumber("W2"), day: TestBook.day("2026-03-03"), reason: "x")
        }
    }

    /// Closing a dispute on another collector's customer answers exactly what closing one that does not
    /// exist answers: nothing of the hidden invoice (its number) leaks.
    @Test func aHiddenDisputeReadsAsAMissingOne() async throws {
        let book = try await overdueBook()
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        let zhang = try await users.add(name: "zhang", displayName: "", password: "correct horse 1", role: .collector)
        try await users.assign(customers: [Customer.Code("K1")], to: "zhang")
        let hidden = try await collections(book, as: .manager)
            .openDispute(invoice: DocumentNumber("F2"), amount: nil, reason: "price", day: TestBook.day("2026-02-01"))
        let mine = collections(book.acting(as: zhang.principal))
        let close = { (id: DisputeRecord.ID) in
            try await mine.closeDispute(id, resolved: false, creditNote: nil, amount: nil, day: TestBook.day("2026-02-02"), resolution: "no")
        }
        await #expect(throws: BookError.notFound(what: "open dispute", key: hidden.description)) { try await close(hidden) }
        await #expect(throws: BookError.notFound(what: "open dispute", key: "999")) { try await close(DisputeRecord.ID(999)) }
        #expect(try await collections(book, as: .manager).disputes(status: .open).map(\.id) == [hidden])
    }

    @Test func aCollectorRecordsPromisesAndDisputesOnlyForTheirCustomers() async throws {
        let book = try await overdueBook()
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        let zhang = try await users.add(name: "zhang", displayName: "", password: "correct horse 1", role: .collector)
        try await users.assign(customers: [Customer.Code("K1")], to: "zhang")
        let mine = collections(book.acting(as: zhang.principal))
        _ = try await mine.promise(customer: Customer.Code("K1"), invoice: DocumentNumber("F1"), amount: "500", made: TestBook.day("2026-02-01"),
                                   due: TestBook.day("2026-02-10"), note: "called")
        await #expect(throws: BookError.invalid(field: "amount", reason: "at most what is owed (1000.00)")) {
            try await mine.promise(customer: Customer.Code("K1"), invoice: DocumentNumber("F1"), amount: "1000.01", made: TestBook.day("2026-02-01"),
                                   due: TestBook.day("2026-02-10"), note: "")
        }
        await #expect(performing: {
            try await mine.promise(customer: Customer.Code("K2"), invoice: nil, amount: "1", made: TestBook.day("2026-02-01"),
                                   due: TestBook.day("2026-02-10"), note: "")
        }, throws: notFound("K2"))
        await #expect(performing: {
            try await mine.openDispute(invoice: DocumentNumber("F2"), amount: nil, reason: "price", day: TestBook.day("2026-02-01"))
        }, throws: notFound("F2"))
        await #expect(throws: BookError.invalid(field: "amount", reason: "between 0.01 and what the invoice has open (1000.00)")) {
            try await mine.openDispute(invoice: DocumentNumber("F1"), amount: "1000.01", reason: "price", day: TestBook.day("2026-02-01"))
        }
        await #expect(performing: {
            try await collections(book, as: .auditor).openDispute(invoice: DocumentNumber("F1"), amount: nil, reason: "price", day: TestBook.day("2026-02-01"))
        }, throws: forbidden(.chase))
        _ = try await mine.openDispute(invoice: DocumentNumber("F1"), amount: "300", reason: "price", day: TestBook.day("2026-02-01"))
        #expect(try await mine.disputes(status: .open).map(\.amount.minorUnits) == [30_000])
        #expect(try await collections(book, as: .manager).disputes(status: nil).count == 1)
    }

    @Test func aDisputeResolvedByACreditNoteLowersTheInvoice() async throws {
        let book = try await overdueBook()
        let id = try await collections(book).openDispute(invoice: DocumentNumber("F1"), amount: "200", reason: "short delivery",
                                                         day: TestBook.day("2026-02-01"))
        // 1,000 open, 200 disputed: 800 chased.
        #expect(try await collections(book).plan(asOf: TestBook.day("2026-02-05")).first?.notice.chased.minorUnits == 80_000)
        try await collections(book).closeDispute(id, resolved: true, creditNote: DocumentNumber("CN-D1"), amount: nil,
                                                 day: TestBook.day("2026-02-06"), resolution: "two cartons missing")
        #expect(try await book.openOn("F1") == 80_000)
        #expect(try await collections(book).disputes(status: .open).isEmpty)
        await #expect(performing: {
            try await collections(book).closeDispute(id, resolved: false, creditNote: nil, amount: nil, day: TestBook.day("2026-02-07"),
                                                     resolution: "again")
        }, throws: notFound(id.description))
        try await book.expectTiesOut()
    }

    @Test func aPolicyFromJSONReplacesTheDefaultAndBadOnesNameTheField() async throws {
        let book = try await overdueBook()
        let json = #"{"name": "default", "levels": [{"name": "only", "days": 10, "channels": ["email"], "fee": "20.00"}]}"#
        _ = try await collections(book, as: .manager).savePolicy(json, categories: [])
        let planned = try await collections(book).plan(asOf: TestBook.day("2026-03-01"))
        #expect(planned.map(\.notice.level.name) == ["only", "only"])
        #expect(planned.first?.notice.fee.minorUnits == 2_000)
        // A fee named in another currency is not charged to customers who owe in CNY.
        let yen = #"{"name": "default", "levels": [{"name": "only", "days": 10, "channels": ["email"], "fee": "500 JPY"}]}"#
        _ = try await collections(book, as: .manager).savePolicy(yen, categories: [])
        let inYen = try await collections(book).plan(asOf: TestBook.day("2026-03-01"))
        #expect(inYen.map(\.notice.level.name) == ["only", "only"])
        #expect(inYen.allSatisfy { $0.notice.fee.minorUnits == 0 })
        for (text, field) in [(#"{"name": "p", "levels": [{"name": "a", "days": 1, "channels": ["fax"]}]}"#, "levels[0].channels"),
                              (#"{"name": "p", "levels": [{"name": "a", "days": 1, "channels": ["email"], "fee": "x"}]}"#, "levels[0].fee"),
                              (#"{"name": "p", "levels": [{"name": "a", "days": 5, "channels": ["email"]}, {"name": "b", "days": 5, "channels": ["email"]}]}"#, "policy"),
                              ("not json", "policy")] {
            await #expect {
                try await collections(book, as: .manager).savePolicy(text, categories: [])
            } throws: { error in
                if case BookError.invalid(let named, _) = error { return named == field }
                return false
            }
        }
        await #expect(performing: {
            try await collections(book, as: .accountant).savePolicy(json, categories: [])
        }, throws: forbidden(.configureCollections))
    }
}

@Suite struct DunningLetterTests {
    @Test(arguments: DunningPolicy.standard.levels)
    func everyLevelReadsInBothLanguages(level: DunningLevel) throws {
        let cny = { (minor: Int64) in Money(minorUnits: minor, currency: .cny) }
        let notice = try DunningNotice(customer: Customer.ID(1), currency: .cny, level: level,
                                   lines: [.init(item: OpenItem.ID(1), invoice: DocumentNumber("F1"), due: Day(ordinal: 20_000), daysPastDue: 12,
                                                 chased: cny(123_456), interest: cny(level.chargesInterest ? 789 : 0), level: level.number)],
                                   fee: level.fee ?? cny(0), escalates: [])
        for language in DunningLetter.languages {
            let letter = DunningLetter.render(notice, code: Customer.Code("K1"), name: "华南贸易", currency: .cny, asOf: Day(ordinal: 20_012),
                                              language: language)
            #expect(letter.body.contains("F1") && letter.body.contains("¥1,234.56"))
            let chinese = language == "zh-CN"
            #expect(letter.body.contains("合计") == chinese)
            #expect(letter.body.contains("Total") == !chinese)
            #expect(letter.body.contains(chinese ? "暂停供货" : "on hold") == level.actions.contains(.creditHold))
            #expect(letter.body.contains(chinese ? "滞纳金" : "Late interest") == level.chargesInterest)
            #expect(!letter.subject.isEmpty)
        }
    }
}

@Suite struct LateFeeNumberTests {
    @Test func aCodeThatMakesNoValidNumberFallsBackToTheCustomersID() {
        let day = TestBook.day("2026-03-02")
        #expect(Collections.feeNumber(code: Customer.Code("K1"), customer: Customer.ID(7), day: day, level: 4).rawValue == "LF-K1-2026-03-02-4")
        #expect(Collections.feeNumber(code: Customer.Code(String(repeating: "K", count: 64)), customer: Customer.ID(7), day: day, level: 4).rawValue
            == "LF-#7-2026-03-02-4")
        #expect(Collections.feeNumber(code: Customer.Code("K 1"), customer: Customer.ID(8), day: day, level: 5).rawValue == "LF-#8-2026-03-02-5")
    }
}

@Suite struct PolicyTemplateTests {
    static let policy = #"""
        {"name": "contract-K1", "late_fee": {"daily_rate_ppm": 1000, "grace_days": 0},
         "levels": [{"name": "notice", "days": 10, "channels": ["email"], "interest": true,
                     "templates": {"en": {"subject": "{code}: {total} overdue", "body": "Dear {customer},\n{items}\nTotal {total}, interest {interest}."},
                                   "zh-CN": {"subject": "{code}：逾期 {total}", "body": "{customer}：\n{items}\n合计 {total}，滞纳金 {interest}。"}}}]}
        """#

    /// K1 follows its own contract's policy and is written to in English; K2 keeps the default, in Chinese.
    @Test func aCustomersOwnPolicyAndLanguageShapeTheirMessages() async throws {
        let book = try TestBook()
        try await book.customer("K1")
        try await book.customer("K2")
        try await book.invoice("F1", "K1", "2026-01-01", "1000")
        try await book.invoice("F2", "K2", "2026-01-01", "1000")
        let collections = Collections(storage: book.storage, caller: book.caller)
        _ = try await collections.savePolicy(Self.policy, categories: [], customers: [Customer.Code("K1")])
        try await collections.setLanguage(Customer.Code("K1"), "en")
        await #expect(throws: BookError.invalid(field: "language", reason: "zh-CN or en")) { try await collections.setLanguage(Customer.Code("K1"), "fr") }
        let outcome = try await collections.run(asOf: TestBook.day("2026-02-20"), approve: true)
        let k1 = try #require(outcome.notices.first { $0.code.rawValue == "K1" })
        // 0.1% a day from 2026-02-01 through 2026-02-20 on 1,000.00: 20 days → 20.00.
        #expect(k1.policy == "contract-K1" && k1.notice.interest.minorUnits == 2_000)
        let messages = try await book.storage.read { try $0.outboxMessages(status: nil, limit: 10, before: nil) }
        let english = try #require(messages.first { $0.message.customer == Customer.ID(1) })
        #expect(english.message.language == "en" && english.message.subject == "K1: ¥1,000.00 overdue")
        #expect(english.message.body == "Dear Customer K1,\nF1\t2026-01-31\t20\t¥1,000.00\nTotal ¥1,000.00, interest ¥20.00.")
        let chinese = try #require(messages.first { $0.message.customer == Customer.ID(2) })
        #expect(chinese.message.language == "zh-CN" && chinese.message.subject.hasPrefix("【逾期催款通知（第 3 级）】"))
    }

    @Test func templatesWithUnknownPlaceholdersOrLanguagesAreRefused() async throws {
        let book = try TestBook()
        let collections = Collections(storage: book.storage, caller: book.caller)
        for (text, field) in [
            (#"{"name": "p", "levels": [{"name": "a", "days": 1, "channels": ["email"], "templates": {"en": {"subject": "{amount}", "body": "x"}}}]}"#, "levels[0].templates.en"),
            (#"{"name": "p", "levels": [{"name": "a", "days": 1, "channels": ["email"], "templates": {"fr": {"subject": "s", "body": "x"}}}]}"#, "levels[0].templates"),
        ] {
            await #expect {
                try await collections.savePolicy(text, categories: [])
            } throws: { error in
                if case BookError.invalid(let named, _) = error { return named == field }
                return false
            }
        }
        #expect(MessageTemplate.fill("{a} and {b} and {c", ["a": "1", "b": "{a}"]) == "1 and {a} and {c")
    }
}

@Suite struct CreditHoldTests {
    /// Items of one customer reach levels 5 and 6 on one day (both carry the hold): one message at level 6,
    /// one hold reported.
    @Test func aCustomerIsPutOnHoldOnceHoweverManyNoticesCarryIt() async throws {
        let book = try TestBook()
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-01", "100")
        try await book.invoice("F2", "K1", "2026-02-05", "100")
        let outcome = try await Collections(storage: book.storage, caller: book.caller).run(asOf: TestBook.day("2026-05-10"), approve: true)
        #expect(outcome.notices.map(\.notice.level.number) == [6])
        #expect(outcome.notices.first?.notice.lines.map(\.level).sorted() == [5, 6])
        #expect(outcome.holds == [Customer.Code("K1")])
    }
}

/// A run whose plan is likely a book's mistake rather than a day's work waits for a manager's approval.
@Suite struct DunningApprovalTests {
    func threeLatePayers() async throws -> TestBook {
        let book = try TestBook()
        for code in ["K1", "K2", "K3"] {
            try await book.customer(code)
            try await book.invoice("F-\(code)", code, "2026-01-01", "100")
        }
        return book
    }

    func collections(_ book: TestBook, as role: Role? = nil) -> Collections {
        let acting = role.map { book.acting(as: Principal(user: nil, name: $0.rawValue, role: $0)) } ?? book
        return Collections(storage: acting.storage, caller: acting.caller)
    }

    func outboxCount(_ book: TestBook) async throws -> Int {
        try await book.storage.read { try $0.outboxMessages(status: nil, limit: 500, before: nil).count }
    }

    @Test func theFirstRunOnABacklogWaitsForApprovalAndWritesNothing() async throws {
        let book = try await threeLatePayers()
        let day = TestBook.day("2026-02-05")
        let outcome = try await collections(book).run(asOf: day)
        #expect(outcome.awaitingApproval == [.firstRunWithBacklog(customers: 3)])
        #expect(outcome.messages == 0)
        #expect(try await book.storage.read { try $0.dunningRunExists(day: day) } == false)
        #expect(try await outboxCount(book) == 0)
        // The preview shows the same reasons, and one message per customer.
        let preview = try await collections(book).preview(asOf: day)
        #expect(preview.reasons == outcome.awaitingApproval)
        #expect(preview.notices.map(\.code.rawValue) == ["K1", "K2", "K3"])
        // An accountant may run dunning but not approve a plan; a manager may.
        await #expect(performing: { try await collections(book, as: .accountant).run(asOf: day, approve: true) },
                      throws: forbidden(.configureCollections))
        // An approval names the plan it saw: a plan that changed since is refused, and nothing runs.
        await #expect(throws: BookError.invalid(field: "plan", reason: "the plan has changed since it was shown: look at it again before approving")) {
            try await collections(book, as: .manager).run(asOf: day, approve: true, fingerprint: String(repeating: "0", count: 64))
        }
        let approved = try await collections(book, as: .manager).run(asOf: day, approve: true, fingerprint: preview.fingerprint)
        #expect(approved.awaitingApproval.isEmpty)
        #expect(approved.notices.count == 3)
        #expect(try await outboxCount(book) == 3)
        #expect(try await BookCheck(storage: book.storage, caller: book.caller).run().passed)
    }

    @Test func aLaterRunThatHoldsManyCustomersAtOnceWaitsToo() async throws {
        let book = try await threeLatePayers()
        _ = try await collections(book).run(asOf: TestBook.day("2026-02-05"), approve: true)
        // A later day with nothing unusual runs without approval.
        let ordinary = try await collections(book).run(asOf: TestBook.day("2026-02-20"))
        #expect(ordinary.awaitingApproval.isEmpty)
        #expect(ordinary.notices.count == 3)
        // Three of three customers on hold and handed to legal at once is more than the shares allowed.
        let day = TestBook.day("2026-05-10")
        let outcome = try await collections(book).run(asOf: day)
        #expect(outcome.awaitingApproval == [.manyHolds(customers: 3, of: 3, percentMax: 10), .manyLegal(customers: 3, of: 3, percentMax: 5)])
        #expect(try await book.storage.read { try $0.dunningRunExists(day: day) } == false)
        let run = try await collections(book, as: .manager).run(asOf: day, approve: true)
        #expect(run.holds.count == 3)
    }
}
