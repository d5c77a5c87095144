import Foundation
import Bookkeeping
import GRDB

extension SQLiteTransaction {
    func tokens() throws -> [APIToken] {
        try rows("""
            SELECT t.id, t.name, u.name, t.role, t.created_at, t.revoked_at FROM api_token t JOIN user u ON u.id = t.user_id ORDER BY t.id
            """).map { row in
            guard let role = Role(rawValue: row[3]) else { throw StorageError(code: .incompatible, message: "unknown role") }
            return APIToken(id: row[0], name: row[1], user: row[2], role: role, createdAt: row[4], revokedAt: row[5])
        }
    }

    func principal(tokenHash: String) throws -> Principal? {
        guard let row = try row("""
            SELECT u.id, u.name, t.role, t.name FROM api_token t JOIN user u ON u.id = t.user_id
            WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0
            """, [tokenHash]), let role = Role(rawValue: row[2]) else { return nil }
        return Principal(user: row[0], name: "\(row[1] as String) (token \(row[3] as String))", role: role)
    }

    func insertToken(name: String, user: Int64, role: Role, hash: String, createdAt: String) throws -> Int64 {
        try insertRow("INSERT INTO api_token (name, user_id, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                      name, user, role.rawValue, hash, createdAt)
    }

    func revokeToken(_ id: Int64, at: String) throws -> Bool {
        try run("UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id)
        return db.changesCount == 1
    }

    func idempotentResult(principal: String, key: String) throws -> IdempotentResult? {
        try row("SELECT request_hash, status, content_type, body FROM idempotency WHERE principal = ? AND key = ?", [principal, key]).map {
            IdempotentResult(requestHash: $0[0], status: $0[1], contentType: $0[2], body: [UInt8](($0[3] as Data?) ?? Data()))
        }
    }

    func claimIdempotencyKey(principal: String, key: String, requestHash: String, at: String) throws {
        try run("INSERT INTO idempotency (key, principal, request_hash, created_at) VALUES (?, ?, ?, ?)", key, principal, requestHash, at)
    }

    func completeIdempotencyKey(principal: String, key: String, status: Int, contentType: String, body: [UInt8]) throws {
        do {
            try db.execute(sql: "UPDATE idempotency SET status = ?, content_type = ?, body = ? WHERE principal = ? AND key = ?",
                           arguments: [status, contentType, Data(body), principal, key])
        } catch { throw SQLiteBook.storageError(error) }
    }

    func releaseIdempotencyKey(principal: String, key: String) throws {
        try run("DELETE FROM idempotency WHERE principal = ? AND key = ? AND status IS NULL", principal, key)
    }
}
