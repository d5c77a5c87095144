import Bookkeeping
import Receivables

/// Users, API tokens, idempotency keys and browser sessions.
extension PostgresTransaction {
    static let userColumns = "u.id, u.name, u.display_name, u.role, u.disabled, u.created_at, u.password_hash"

    static func user(_ row: PostgresRowReader) throws -> StoredUser {
        let roleText: String = try row[3]
        guard let role = Role(rawValue: roleText) else {
            throw StorageError(code: .incompatible, message: "unknown role \(roleText)")
        }
        return StoredUser(user: User(id: try row[0], name: try row[1], displayName: try row[2], role: role, disabled: try row[4],
                                     createdAt: try row[5]),
                          passwordHash: try row[6])
    }

    func user(name: String) throws -> StoredUser? {
        try session.row("SELECT \(Self.userColumns) FROM \"user\" u WHERE u.name = $1", name).map(Self.user)
    }

    func users() throws -> [User] {
        try session.rows("SELECT \(Self.userColumns) FROM \"user\" u ORDER BY u.name COLLATE \"C\"").map { try Self.user($0).user }
    }

    func insertUser(name: String, displayName: String, passwordHash: String, role: Role, createdAt: String) throws -> Int64 {
        try session.insert("""
            INSERT INTO "user" (name, display_name, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (name) DO NOTHING RETURNING id
            """, name, displayName, passwordHash, role.rawValue, createdAt)
    }

    func updateUser(_ id: Int64, passwordHash: String?, disabled: Bool?) throws {
        try session.execute("""
            UPDATE "user" SET password_hash = COALESCE($1, password_hash), disabled = COALESCE($2, disabled) WHERE id = $3
            """, passwordHash, disabled.map { $0 ? 1 : 0 }, id)
    }

    func assignCollector(customer: Customer.ID, user: Int64?) throws {
        try session.execute("UPDATE customer SET collector_user_id = $1 WHERE id = $2", user, customer.rawValue)
    }

    // MARK: tokens

    func tokens() throws -> [APIToken] {
        try session.rows("""
            SELECT t.id, t.name, u.name, t.role, t.created_at, t.revoked_at FROM api_token t JOIN "user" u ON u.id = t.user_id ORDER BY t.id
            """).map { row in
            guard let role = Role(rawValue: try row[3]) else { throw StorageError(code: .incompatible, message: "unknown role") }
            return APIToken(id: try row[0], name: try row[1], user: try row[2], role: role, createdAt: try row[4], revokedAt: try row[5])
        }
    }

    func principal(tokenHash: String) throws -> Principal? {
        guard let row = try session.row("""
            SELECT u.id, u.name, t.role, t.name FROM api_token t JOIN "user" u ON u.id = t.user_id
            WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0
            """, tokenHash), let role = Role(rawValue: try row[2]) else { return nil }
        let user: String = try row[1], token: String = try row[3]
        return Principal(user: try row[0], name: "\(user) (token \(token))", role: role)
    }

    func insertToken(name: String, user: Int64, role: Role, hash: String, createdAt: String) throws -> Int64 {
        try session.insert("""
            INSERT INTO api_token (name, user_id, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (token_hash) DO NOTHING RETURNING id
            """, name, user, role.rawValue, hash, createdAt)
    }

    func revokeToken(_ id: Int64, at: String) throws -> Bool {
        try session.execute("UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", at, id) == 1
    }

    // MARK: idempotency

    func idempotentResult(principal: String, key: String) throws -> IdempotentResult? {
        try session.row("SELECT request_hash, status, content_type, body FROM idempotency WHERE principal = $1 AND key = $2", principal, key).map {
            IdempotentResult(requestHash: try $0[0], status: try $0[1], contentType: try $0[2], body: try ($0[3] as [UInt8]?) ?? [])
        }
    }

    func claimIdempotencyKey(principal: String, key: String, requestHash: String, at: String) throws {
        _ = try session.insert("""
            INSERT INTO idempotency (key, principal, request_hash, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT DO NOTHING RETURNING 0::bigint
            """, key, principal, requestHash, at)
    }

    func completeIdempotencyKey(principal: String, key: String, status: Int, contentType: String, body: [UInt8]) throws {
        try session.execute("UPDATE idempotency SET status = $1, content_type = $2, body = $3 WHERE principal = $4 AND key = $5",
                            status, contentType, body, principal, key)
    }

    func releaseIdempotencyKey(principal: String, key: String) throws {
        try session.execute("DELETE FROM idempotency WHERE principal = $1 AND key = $2 AND status IS NULL", principal, key)
    }

    // MARK: browser sessions

    func session(tokenHash: String) throws -> SessionRecord? {
        guard let row = try session.row("""
            SELECT \(Self.userColumns), s.csrf, s.created_at, s.seen_at
            FROM web_session s JOIN "user" u ON u.id = s.user_id WHERE s.token_hash = $1
            """, tokenHash) else { return nil }
        return SessionRecord(user: try Self.user(row).user, csrf: try row[7], createdAt: try row[8], seenAt: try row[9])
    }

    func insertSession(tokenHash: String, user: Int64, csrf: String, at: Int64) throws {
        try session.execute("INSERT INTO web_session (token_hash, user_id, csrf, created_at, seen_at) VALUES ($1, $2, $3, $4, $4)",
                            tokenHash, user, csrf, at)
    }

    func touchSession(tokenHash: String, at: Int64) throws {
        try session.execute("UPDATE web_session SET seen_at = $1 WHERE token_hash = $2", at, tokenHash)
    }

    func deleteSession(tokenHash: String) throws {
        try session.execute("DELETE FROM web_session WHERE token_hash = $1", tokenHash)
    }

    func deleteSessions(idleBefore: Int64, createdBefore: Int64) throws {
        try session.execute("DELETE FROM web_session WHERE seen_at < $1 OR created_at < $2", idleBefore, createdBefore)
    }
}
