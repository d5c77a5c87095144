import Crypto
import Foundation
import Receivables

/// The audit trail as a hash chain (tamper evidence): each record's link is
/// SHA-256(the previous link's hash, "\n", the record in a canonical form), the first link's previous
/// hash sixty-four zeros. Changing, removing or reordering any record breaks every link from it on,
/// and `AuditTrail.verify` names the first broken one.
///
/// A record is linked in the transaction that writes it, under the book's "audit-chain" job lock, so
/// that on PostgreSQL the servers sharing a book extend one chain one after the other and record ids
/// follow the chain's order.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// The record as hashed: every field, each with its length, so no two records read the same.
    public static func canonical(_ record: AuditRecord, id: Int64) -> String {
        let fields = [String(id), record.at, record.actor, record.actorUser.map { String($0.rawValue) } ?? "-", record.action,
                      record.entity, record.key, record.before ?? "-", record.after ?? "-"]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    public static func link(previous: String, record: AuditRecord, id: Int64) -> String {
        let digest = SHA256.hash(data: Data((previous + "\n" + canonical(record, id: id)).utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Links every record written since the chain's last link, in id order (normally just the one this
    /// transaction wrote; a book made before the chain existed is linked whole by its first write).
    static func extend(_ tx: any BookTransaction) throws {
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

/// What `verify` found: the records the chain holds, and the first link that does not hold, if any.
public struct AuditVerification: Hashable, Sendable {
    public let linked: Int
    /// Records written but not yet linked (a book older than the chain, before its next write).
    public let unlinked: Int
    public let brokenAt: (seq: Int64, audit: Int64, reason: String)?

    public var intact: Bool { brokenAt == nil }

    public static func == (a: AuditVerification, b: AuditVerification) -> Bool {
        a.linked == b.linked && a.unlinked == b.unlinked && a.brokenAt?.seq == b.brokenAt?.seq && a.brokenAt?.reason == b.brokenAt?.reason
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(linked)
        hasher.combine(brokenAt?.seq)
    }
}

extension AuditTrail {
    public static let verifyPageSize = 2000

    /// Walks the whole chain and recomputes every link from its record: the first link whose record
    /// is gone, whose hash differs, or that is out of place is where the trail was tampered with.
    public func verify() async throws -> AuditVerification {
        try caller.principal.require(.readAudit)
        return try await storage.read { reader in
            var previous = AuditChain.genesis, expectedSeq: Int64 = 1, linked = 0, lastAudit: Int64 = 0
            while true {
                let page = try reader.auditLinks(fromSeq: expectedSeq, limit: Self.verifyPageSize)
                if page.isEmpty { break }
                for (link, record) in page {
                    let broken = { (reason: String) in
                        AuditVerification(linked: linked, unlinked: 0, brokenAt: (link.seq, link.audit, reason))
                    }
                    guard link.seq == expectedSeq else { return broken("link \(expectedSeq) is missing") }
                    guard let record else { return broken("audit record \(link.audit) is missing") }
                    guard link.audit > lastAudit else { return broken("records are out of order") }
                    guard AuditChain.link(previous: previous, record: record, id: link.audit) == link.hash else {
                        return broken("audit record \(link.audit) is not what was written")
                    }
                    previous = link.hash
                    lastAudit = link.audit
                    expectedSeq += 1
                    linked += 1
                }
            }
            let unlinked = try reader.auditRecordCount(after: lastAudit)
            let missing = try reader.auditRecordCount(after: 0) - linked - unlinked
            if missing != 0 {
                return AuditVerification(linked: linked, unlinked: unlinked,
                                         brokenAt: (expectedSeq, lastAudit, "\(missing) audit records before the chain's end have no link"))
            }
            return AuditVerification(linked: linked, unlinked: unlinked, brokenAt: nil)
        }
    }
}
