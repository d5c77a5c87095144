import Bookkeeping
import Foundation
import Receivables
import Testing

/// Roles are checked in the use cases, so no front end can bypass them.
@Suite struct AccessTests {
    func bookWithUsers() async throws -> (book: TestBook, collector: Principal, other: Principal) {
        let book = try TestBook()
        try await book.customer("K1")
        try await book.customer("K2")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        try await book.invoice("F2", "K2", "2026-01-10", "200")
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        let zhang = try await users.add(name: "zhang", displayName: "张三", password: "correct horse", role: .collector)
        let li = try await users.add(name: "li", displayName: "李四", password: "battery staple", role: .collector)
        try await users.assign(customers: [Customer.Code("K1")], to: "zhang")
        return (book, zhang.principal, li.principal)
    }

    @Test(arguments: [Role.auditor, .collector, .manager])
    func onlyAdminsAndAccountantsWrite(role: Role) async throws {
        let book = try TestBook()
        try await book.customer("K1")
        let reader = book.acting(as: Principal(user: User.ID(1), name: "r", role: role))
        await #expect(throws: BookError.forbidden(.writeBook)) { try await reader.customer("K2") }
        await #expect(throws: BookError.forbidden(.writeBook)) { try await reader.invoice("F1", "K1", "2026-01-10", "100") }
        await #expect(throws: BookError.forbidden(.writeBook)) { try await reader.receipt("R1", "K1", "2026-01-10", "100") }
        #expect(try await book.openOn("F1") == -1)
        #expect(try await reader.aging("2026-01-31").rows.isEmpty)
    }

    @Test func aCollectorSeesOnlyTheirCustomers() async throws {
        let (book, zhang, li) = try await bookWithUsers()
        let mine = try await book.acting(as: zhang).aging("2026-03-31")
        #expect(mine.rows.map(\.code.rawValue) == ["K1"])
        #expect(try await book.acting(as: li).aging("2026-03-31").rows.isEmpty)
        #expect(try await book.aging("2026-03-31").rows.count == 2)
        _ = try await book.acting(as: zhang).reports.ledger(customer: Customer.Code("K1"), from: nil, to: TestBook.day("2026-12-31"))
        // Another customer's ledger is "not found", exactly as a code that does not exist.
        await #expect(throws: BookError.notFound(what: "customer", key: "K2")) {
            try await book.acting(as: zhang).reports.ledger(customer: Customer.Code("K2"), from: nil, to: TestBook.day("2026-12-31"))
        }
    }

    @Test func onlyCollectorsAreAssignedCustomers() async throws {
        let (book, _, _) = try await bookWithUsers()
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        _ = try await users.add(name: "wang", displayName: "", password: "long enough pw", role: .accountant)
        await #expect(throws: BookError.invalid(field: "user", reason: "wang is a accountant, not a collector")) {
            try await users.assign(customers: [Customer.Code("K2")], to: "wang")
        }
        await #expect(throws: BookError.notFound(what: "customer", key: "K9")) { try await users.assign(customers: [Customer.Code("K9")], to: "zhang") }
    }

    @Test func signingInChecksThePasswordAndTheAccount() async throws {
        let (book, _, _) = try await bookWithUsers()
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        #expect(try await users.authenticate(name: "zhang", password: "correct horse")?.role == .collector)
        #expect(try await users.authenticate(name: "zhang", password: "correct horsE") == nil)
        #expect(try await users.authenticate(name: "nobody", password: "correct horse") == nil)
        try await users.setDisabled(name: "zhang", true)
        #expect(try await users.authenticate(name: "zhang", password: "correct horse") == nil)
        try await users.setDisabled(name: "zhang", false)
        try await users.setPassword(name: "zhang", password: "a new passphrase")
        #expect(try await users.authenticate(name: "zhang", password: "a new passphrase") != nil)
    }

    @Test func weakPasswordsAndBadNamesAreRefused() async throws {
        let book = try TestBook()
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        let tooShort = BookError.invalid(field: "password", reason: "at least \(User.passwordLengthMin) characters")
        await #expect(throws: tooShort) { try await users.add(name: "a", displayName: "", password: "short", role: .admin) }
        await #expect(throws: BookError.invalid(field: "password", reason: "at most \(User.passwordBytesMax) bytes")) {
            try await users.add(name: "a", displayName: "", password: String(repeating: "x", count: 73), role: .admin)
        }
        let badName = BookError.invalid(field: "name", reason: "1 to \(User.nameLengthMax) letters, digits or . _ - @")
        await #expect(throws: badName) { try await users.add(name: "a b", displayName: "", password: "long enough pw", role: .admin) }
        _ = try await users.add(name: "a", displayName: "", password: "long enough pw", role: .admin)
        await #expect(throws: BookError.duplicate(field: "name", value: "a")) {
            try await users.add(name: "a", displayName: "", password: "long enough pw", role: .admin)
        }
        #expect(try await users.list().map(\.name) == ["a"])
    }

    @Test func onlyAdminsManageUsers() async throws {
        let book = try TestBook().acting(as: Principal(user: User.ID(1), name: "acc", role: .accountant))
        let users = Users(storage: book.storage, caller: book.caller, cost: 4)
        await #expect(throws: BookError.forbidden(.manageUsers)) {
            try await users.add(name: "x", displayName: "", password: "long enough pw", role: .admin)
        }
        await #expect(throws: BookError.forbidden(.manageUsers)) { try await users.list() }
    }

    @Test func everyWriteIsAuditedAndOnlyAdminsAndAuditorsReadIt() async throws {
        let book = try TestBook()
        try await book.customer("K1")
        try await book.invoice("F1", "K1", "2026-01-10", "100")
        let credit = try await book.receipt("R1", "K1", "2026-01-12", "40")
        _ = try await book.cash.allocate(credit: .receipt, reference: credit.reference, to: DocumentNumber("F1"), amount: nil)
        _ = try await book.cash.reverseReceipt(DocumentNumber("R1"), day: TestBook.day("2026-01-20"), reason: "退票")
        let trail = try await AuditTrail(storage: book.storage, caller: book.caller).records()
        #expect(trail.map { "\($0.action) \($0.entity) \($0.key)" } == [
            "reverse receipt R1", "allocate allocation 1", "record receipt R1", "issue invoice F1", "create customer K1",
        ])
        #expect(trail.allSatisfy { $0.actor == "cli" && $0.at == "2026-11-22T00:00:00Z" })
        #expect(trail[0].before?.contains("\"unapplied\": \"0.00 CNY\"") == true)
        #expect(trail[0].after?.contains("退票") == true)
        let auditor = book.acting(as: Principal(user: User.ID(9), name: "audit", role: .auditor))
        #expect(try await AuditTrail(storage: book.storage, caller: auditor.caller).records(limit: 2).count == 2)
        let accountant = book.acting(as: Principal(user: User.ID(8), name: "acc", role: .accountant))
        await #expect(throws: BookError.forbidden(.readAudit)) { try await AuditTrail(storage: book.storage, caller: accountant.caller).records() }
    }

    @Test func aRefusedWriteLeavesNoAuditRecord() async throws {
        let book = try TestBook()
        try await book.customer("K1")
        await #expect(throws: BookError.duplicate(field: "code", value: "K1")) { try await book.customer("K1") }
        #expect(try await AuditTrail(storage: book.storage, caller: book.caller).records().count == 1)
    }
}

@Suite struct SecretAndClockTests {
    @Test func digestsAndRandomSecretsAreLowercaseHex() {
        #expect(Secret.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let one = Secret.random(bytes: 32), two = Secret.random(bytes: 32)
        #expect(one.count == 64 && one.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(one != two)
    }

    @Test func theSystemClockReadsAsISO8601InUTC() throws {
        let before = Date()
        let text = Caller.systemTime()
        let parsed = try #require(ISO8601DateFormatter().date(from: text))
        #expect(text.count == 20 && text.hasSuffix("Z"))
        #expect(abs(parsed.timeIntervalSince(before)) < 2)
    }
}
