import Crypto
import Foundation
import Receivables

/// The audit trail and the journal as hash chains (tamper evidence).
///
/// Audit records: each record's link is SHA-256(the previous link's hash, "\n", the record in a
/// canonical form), the first link's previous hash sixty-four zeros. Journal entries: each write that
/// posted entries adds a seal, SHA-256(the previous seal's hash, "\n", every entry since the last seal
/// with its lines, in id order), naming the entries it covers. Changing, removing or reordering a
/// record, an entry or a line breaks the chain from there on, and `AuditTrail.verify` names the first
/// broken link.
///
/// Where one writer runs at a time (SQLite), both are extended in the transaction that writes. Where
/// writers run side by side (PostgreSQL, several servers), serializing every write on the chain cut
/// throughput to a quarter; there `seal` extends them instead — every few seconds in `arbook serve`, and
/// before every `verify` — after waiting for the writers under way and holding new ones back for the
/// moment it takes, so that no record or entry with a lower id can commit after it was passed.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)
    public static let job = "chains"

    /// The record as hashed: every field, each with its length, so no two records read the same.
    public static func canonical(_ record: AuditRecord, id: Int64) -> String {
        let fields = [String(id), record.at, record.actor, record.actorUser.map { String($0.rawValue) } ?? "-", record.action,
                      record.entity, record.key, record.before ?? "-", record.after ?? "-"]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    public static func link(previous: String, record: AuditRecord, id: Int64) -> String {
        Secret.sha256(previous + "\n" + canonical(record, id: id))
    }

    /// Extends both chains over everything committed so far; one sealer at a time (`job` lock).
    public static func seal(_ storage: any BookStorage) async throws {
        try await storage.write { tx in
            try tx.lock(job: job)
            try tx.holdWritersForSealing()
            try extend(tx)
        }
    }

    /// Links every record written since the chain's last link, in id order (normally just the one this
    /// transaction wrote; a book made before the chain existed is linked whole by its first write), and
    /// seals the journal entries written since the last seal.
    static func extend(_ tx: any BookTransaction) throws {
        try sealJournal(tx)
        var last = try tx.lastAuditLink()
        while true {
            let records = try tx.auditRecords(after: last?.audit ?? 0, limit: 1000)
            guard !records.isEmpty else { return }
            for record in records {
                guard let id = record.id else { continue }
                let next = AuditLink(seq: (last?.seq ?? 0) + 1, audit: id, hash: link(previous: last?.hash ?? genesis, record: record, id: id))
                try tx.insertAuditLink(next)
                last = next
            }
        }
    }
}

extension AuditChain {
    /// An entry as hashed: its header and every line, each field with its length.
    public static func canonical(_ entry: JournalEntry, id: JournalEntry.ID) -> String {
        let head = [String(id.rawValue), entry.day.description, entry.kind.rawValue, entry.document]
        let lines = entry.lines.map { line in
            [line.account.code, line.customer.map { String($0.rawValue) } ?? "-", line.amount.currency.code, String(line.amount.minorUnits)]
        }
        return (head + lines.flatMap { $0 }).map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    /// Seals the entries written since the last seal, if any: one seal for all of them.
    static func sealJournal(_ tx: any BookTransaction) throws {
        let last = try tx.lastJournalSeal()
        var hasher = SHA256()
        hasher.update(data: Data(((last?.hash ?? genesis) + "\n").utf8))
        var first: JournalEntry.ID?, newest: JournalEntry.ID?, count = 0
        try tx.visitJournal(after: last?.lastEntry ?? JournalEntry.ID(0), through: JournalEntry.ID(.max)) { id, entry in
            hasher.update(data: Data((canonical(entry, id: id) + "\n").utf8))
            if first == nil { first = id }
            newest = id
            count += 1
        }
        guard let first, let newest else { return }
        let hash = Secret.hex(hasher.finalize())
        try tx.insertJournalSeal(JournalSeal(seq: (last?.seq ?? 0) + 1, firstEntry: first, lastEntry: newest, entries: count, hash: hash))
    }
}

/// One seal of the journal: its place, the entries it covers (ids `firstEntry` through `lastEntry`,
/// `entries` of them) and the hash.
public struct JournalSeal: Hashable, Sendable {
    public let seq: Int64
    public let firstEntry: JournalEntry.ID
    public let lastEntry: JournalEntry.ID
    public let entries: Int
    public let hash: String
    public init(seq: Int64, firstEntry: JournalEntry.ID, lastEntry: JournalEntry.ID, entries: Int, hash: String) {
        self.seq = seq
        self.firstEntry = firstEntry
        self.lastEntry = lastEntry
        self.entries = entries
        self.hash = hash
    }
}

/// One link of the chain: its place, the record it seals and the hash.
public struct AuditLink: Hashable, Sendable {
    public let seq: Int64
    public let audit: Int64
    public let hash: String
    public init(seq: Int64, audit: Int64, hash: String) {
        self.seq = seq
        self.audit = audit
        self.hash = hash
    }
}

/// What `verify` found: how much each chain holds, and the first link that does not hold, if any.
public struct AuditVerification: Hashable, Sendable {
    /// Where a chain breaks: which chain, the link's place, the record or entry it names, and why.
    public struct Break: Hashable, Sendable {
        public enum Chain: String, Sendable { case audit, journal }
        public let chain: Chain
        public let seq: Int64
        public let record: Int64
        public let reason: String
    }

    public var linked = 0
    /// Records written but not yet linked (a book older than the chain, before its next write).
    public var unlinked = 0
    public var sealedEntries = 0
    public var unsealedEntries = 0
    public var brokenAt: Break?

    public var intact: Bool { brokenAt == nil }
}

extension AuditTrail {
    public static let verifyPageSize = 2000

    /// Walks both chains and recomputes every link and seal from the records and entries: the first
    /// whose record is gone, whose hash differs, or that is out of place is where the book was tampered with.
    public func verify() async throws -> AuditVerification {
        try caller.principal.require(.readAudit)
        // Everything written so far is sealed first: what is verified is the whole book.
        try await AuditChain.seal(storage)
        return try await storage.read { reader in
            var result = AuditVerification()
            try Self.verifyAudit(reader, into: &result)
            if result.intact { try Self.verifyJournal(reader, into: &result) }
            return result
        }
    }

    static func verifyAudit(_ reader: any BookReader, into result: inout AuditVerification) throws {
        var previous = AuditChain.genesis, expectedSeq: Int64 = 1, lastAudit: Int64 = 0
        let broken = { (seq: Int64, record: Int64, reason: String) in AuditVerification.Break(chain: .audit, seq: seq, record: record, reason: reason) }
        while result.intact {
            let page = try reader.auditLinks(fromSeq: expectedSeq, limit: Self.verifyPageSize)
            if page.isEmpty { break }
            for (link, record) in page {
                guard link.seq == expectedSeq else { result.brokenAt = broken(expectedSeq, link.audit, "link \(expectedSeq) is missing"); return }
                guard let record else { result.brokenAt = broken(link.seq, link.audit, "audit record \(link.audit) is missing"); return }
                guard link.audit > lastAudit else { result.brokenAt = broken(link.seq, link.audit, "records are out of order"); return }
                guard AuditChain.link(previous: previous, record: record, id: link.audit) == link.hash else {
                    result.brokenAt = broken(link.seq, link.audit, "audit record \(link.audit) is not what was written")
                    return
                }
                previous = link.hash
                lastAudit = link.audit
                expectedSeq += 1
                result.linked += 1
            }
        }
        result.unlinked = try reader.auditRecordCount(after: lastAudit)
        let missing = try reader.auditRecordCount(after: 0) - result.linked - result.unlinked
        if missing != 0 {
            result.brokenAt = broken(expectedSeq, lastAudit, "\(missing) audit records before the chain's end have no link")
        }
    }

    /// One pass over the journal in id order beside the seals in order (a page of seals at a time):
    /// each seal's entries are the ones after the previous seal's last, through its own.
    static func verifyJournal(_ reader: any BookReader, into result: inout AuditVerification) throws {
        var previous = AuditChain.genesis, lastEntry = JournalEntry.ID(0), expectedSeq: Int64 = 1
        while result.intact {
            let page = try reader.journalSeals(fromSeq: expectedSeq, limit: Self.verifyPageSize)
            guard let through = page.last?.lastEntry else { break }
            var index = 0, count = 0, first: JournalEntry.ID?
            var hasher = SHA256()
            hasher.update(data: Data((previous + "\n").utf8))
            // Closes the seal at `index`: what was hashed for it must be what it says.
            func close() -> Bool {
                let seal = page[index]
                let hash = Secret.hex(hasher.finalize())
                let broken = { (reason: String) in
                    AuditVerification.Break(chain: .journal, seq: seal.seq, record: seal.firstEntry.rawValue, reason: reason)
                }
                if seal.seq != expectedSeq {
                    result.brokenAt = broken("journal seal \(expectedSeq) is missing")
                } else if count != seal.entries || first != seal.firstEntry {
                    result.brokenAt = broken("journal entries \(seal.firstEntry)–\(seal.lastEntry): \(count) found, \(seal.entries) sealed")
                } else if hash != seal.hash {
                    result.brokenAt = broken("journal entries \(seal.firstEntry)–\(seal.lastEntry) are not what was posted")
                }
                guard result.intact else { return false }
                result.sealedEntries += count
                previous = hash
                lastEntry = seal.lastEntry
                expectedSeq += 1
                index += 1
                count = 0
                first = nil
                hasher = SHA256()
                hasher.update(data: Data((previous + "\n").utf8))
                return true
            }
            try reader.visitJournal(after: lastEntry, through: through) { id, entry in
                while result.intact, index < page.count, id > page[index].lastEntry { guard close() else { return } }
                guard result.intact else { return }
                hasher.update(data: Data((AuditChain.canonical(entry, id: id) + "\n").utf8))
                if first == nil { first = id }
                count += 1
            }
            while result.intact, index < page.count { guard close() else { break } }
        }
        guard result.intact else { return }
        try reader.visitJournal(after: lastEntry, through: JournalEntry.ID(.max)) { _, _ in result.unsealedEntries += 1 }
    }
}
