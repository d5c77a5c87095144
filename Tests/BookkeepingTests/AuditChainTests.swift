import Bookkeeping
import Foundation
import Receivables
import TestBooks
import Testing

/// The audit trail is a hash chain: every write extends it, and changing or removing a record past the
/// schema's triggers is found, at the first link that no longer holds.
@Suite struct AuditChainTests {
    func trail(_ book: TestBook) -> AuditTrail { AuditTrail(storage: book.storage, caller: book.caller) }

    /// A book with a few audited writes.
    func book(_ engine: Engine) async throws -> TestBook {
        let book = try TestBook(engine)
        _ = try await book.customer("K1")
        _ = try await book.customer("K2")
        _ = try await book.invoice("F1", "K1", "2026-01-01", "1000")
        _ = try await book.receipt("R1", "K1", "2026-01-20", "400")
        // Sealed, as `arbook serve` does every few seconds (SQLite seals as it writes already).
        try await AuditChain.seal(book.storage)
        return book
    }

    /// Lets raw SQL change audit rows, as someone with the database's password could.
    func dropTheTriggers(_ book: TestBook, _ engine: Engine) async throws {
        switch engine {
        case .sqlite:
            for trigger in ["audit_is_append_only_update", "audit_is_append_only_delete", "audit_link_is_append_only_update",
                            "audit_link_is_append_only_delete"] {
                try await tamper(book.storage, "DROP TRIGGER \(trigger)")
            }
        case .postgres:
            try await tamper(book.storage, "ALTER TABLE audit DISABLE TRIGGER USER")
            try await tamper(book.storage, "ALTER TABLE audit_link DISABLE TRIGGER USER")
        }
    }

    @Test(arguments: Engine.allCases)
    func everyWriteExtendsTheChainAndItVerifies(engine: Engine) async throws {
        let book = try await self.book(engine)
        let result = try await trail(book).verify()
        #expect(result.intact)
        #expect(result.linked == 4)
        #expect(result.unlinked == 0)
        // The invoice's entry and the receipt's: two writes that posted, two seals.
        #expect(result.sealedEntries == 2 && result.unsealedEntries == 0)
    }

    @Test(arguments: Engine.allCases)
    func aChangedJournalLineOrEntryBreaksTheJournalChainAtItsSeal(engine: Engine) async throws {
        let book = try await self.book(engine)
        try await tamper(book.storage, "UPDATE journal_line SET amount = amount + 1 WHERE entry_id = 2 AND line_no = 1")
        let changed = try await trail(book).verify()
        // SQLite seals each write's entries as it writes (entry 2 is the second seal); PostgreSQL's sealer
        // sealed both entries at once.
        #expect(changed.brokenAt?.chain == .journal && changed.brokenAt?.seq == (engine == .sqlite ? 2 : 1))
        #expect(changed.brokenAt?.reason.contains("not what was posted") == true)
        let other = try await self.book(engine)
        try await tamper(other.storage, "UPDATE journal_entry SET day = day - 1 WHERE id = 1")
        let moved = try await trail(other).verify()
        #expect(moved.brokenAt?.chain == .journal && moved.brokenAt?.seq == 1)
        #expect(moved.linked == 4)  // the audit chain holds: only the journal was touched
    }

    @Test(arguments: Engine.allCases)
    func aChangedRecordBreaksTheChainAtItsLink(engine: Engine) async throws {
        let book = try await self.book(engine)
        try await dropTheTriggers(book, engine)
        try await tamper(book.storage, "UPDATE audit SET after = replace(after, '400', '4000') WHERE entity = 'receipt'")
        let result = try await trail(book).verify()
        #expect(result.brokenAt?.chain == .audit && result.brokenAt?.seq == 4)
        #expect(result.brokenAt?.reason.contains("not what was written") == true)
        #expect(result.linked == 3)
    }

    @Test(arguments: Engine.allCases)
    func aRemovedRecordOrLinkIsFound(engine: Engine) async throws {
        let book = try await self.book(engine)
        try await dropTheTriggers(book, engine)
        try await tamper(book.storage, "DELETE FROM audit WHERE entity = 'invoice'")
        #expect(try await trail(book).verify().brokenAt?.seq == 3)
        let other = try await self.book(engine)
        try await dropTheTriggers(other, engine)
        try await tamper(other.storage, "DELETE FROM audit_link WHERE seq = 2")
        #expect(try await trail(other).verify().brokenAt?.reason == "link 2 is missing")
    }

    @Test(arguments: Engine.allCases)
    func aBookFromBeforeTheChainIsLinkedByItsNextWrite(engine: Engine) async throws {
        let book = try await self.book(engine)
        try await dropTheTriggers(book, engine)
        try await tamper(book.storage, "DELETE FROM audit_link")
        // The next write (SQLite) or the next seal (PostgreSQL) links the whole trail.
        _ = try await book.customer("K3")
        let after = try await trail(book).verify()
        #expect(after.intact && after.linked == 5 && after.unlinked == 0)
        #expect(after.sealedEntries == 2)
    }

    @Test(arguments: Engine.allCases)
    func theDunningRunSealsEveryMessageItWritesIntoTheChain(engine: Engine) async throws {
        let book = try await self.book(engine)
        let outcome = try await Collections(storage: book.storage, caller: book.caller).run(asOf: TestBook.day("2026-06-30"), approve: true)
        #expect(outcome.messages > 0)
        let run = try #require(try await trail(book).records(limit: 5).first { $0.entity == "dunning" })
        let after = try #require(try JSONSerialization.jsonObject(with: Data((run.after ?? "").utf8)) as? [String: Any])
        let sealed = try #require(after["messages_sealed"] as? [[String: Any]])
        let messages = try await Outbox(storage: book.storage, caller: book.caller).messages(status: nil)
        #expect(sealed.count == messages.count)
        for message in messages {
            let seal = sealed.first { ($0["id"] as? Int64 ?? ($0["id"] as? Int).map(Int64.init)) == message.id.rawValue }
            #expect(seal?["sha256"] as? String == OutboxMessage.digest(message.message))
        }
        #expect(try await trail(book).verify().intact)
    }

    @Test func theLinkIsTheHashOfThePreviousAndTheWholeRecord() {
        let record = AuditRecord(at: "2026-12-07T00:00:00Z", actor: "ops", actorUser: User.ID(3), action: "issue", entity: "invoice",
                                 key: "F1", before: nil, after: #"{"amount":"1.00 CNY"}"#)
        let first = AuditChain.link(previous: AuditChain.genesis, record: record, id: 1)
        #expect(first.count == 64)
        #expect(AuditChain.link(previous: AuditChain.genesis, record: record, id: 2) != first)
        #expect(AuditChain.link(previous: first, record: record, id: 1) != first)
        let moved = AuditRecord(at: record.at, actor: record.actor, actorUser: record.actorUser, action: record.action, entity: record.entity,
                                key: "F1|", before: nil, after: #"{"amount":"1.00 CNY"}"#)
        #expect(AuditChain.link(previous: AuditChain.genesis, record: moved, id: 1) != first)
    }
}
