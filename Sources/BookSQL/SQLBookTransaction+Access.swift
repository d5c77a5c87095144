import Bookkeeping
import Receivables

/// Users, API tokens, idempotency keys and browser sessions.
extension SQLBookTransaction {
    static var userColumns: SQL { "u.id, u.name, u.display_name, u.role, u.disabled, u.created_at, u.password_hash" }

    static func user(_ row: Executor.Row) throws -> StoredUser {
        let roleText: String = try row[3]
        guard let role = Role(rawValue: roleText) else {
            throw StorageError(code: .incompatible, message: "unknown role \(roleText)")
        }
        return StoredUser(user: User(id: try row[0], name: try row[1], displayName: try row[2], role: role, disabled: try row[4],
                                     createdAt: try row[5]),
                          passwordHash: try row[6])
    }

    public func user(name: String) throws -> StoredUser? {
        try sql.row("SELECT \(Self.userColumns) FROM \"user\" u WHERE u.name = \(name)", Self.user)
    }

    /// In the order of the names' bytes, as both engines compare them by default.
    public func users() throws -> [User] {
        try sql.rows("SELECT \(Self.userColumns) FROM \"user\" u") { try Self.user($0).user }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    public func insertUser(name: String, displayName: String, passwordHash: String, role: Role, createdAt: String) throws -> User.ID {
        try sql.insert("""
            INSERT INTO "user" (name, display_name, password_hash, role, created_at)
            VALUES (\(name), \(displayName), \(passwordHash), \(role.rawValue), \(createdAt))
            ON CONFLICT (name) DO NOTHING
            """)
    }

    public func updateUser(_ id: User.ID, passwordHash: String?, disabled: Bool?) throws {
        try sql.execute("""
            UPDATE "user" SET password_hash = COALESCE(\(passwordHash), password_hash), disabled = COALESCE(\(disabled), disabled)
            WHERE id = \(id)
            """)
    }

    // MARK: tokens

    public func tokens() throws -> [APIToken] {
        try sql.rows("""
            SELECT t.id, t.name, u.name, t.role, t.created_at, t.revoked_at FROM api_token t JOIN "user" u ON u.id = t.user_id ORDER BY t.id
            """) { row in
            guard let role = Role(rawValue: try row[3]) else { throw StorageError(code: .incompatible, message: "unknown role") }
            return APIToken(id: try row[0], name: try row[1], user: try row[2], role: role, createdAt: try row[4], revokedAt: try row[5])
        }
    }

    public func principal(tokenHash: String) throws -> Principal? {
        try sql.row("""
            SELECT u.id, u.name, t.role, t.name FROM api_token t JOIN "user" u ON u.id = t.user_id
            WHERE t.token_hash = \(tokenHash) AND t.revoked_at IS NULL AND u.disabled = 0
            """) { row -> Principal? in
            guard let role = Role(rawValue: try row[2]) else { return nil }
            let user: String = try row[1], token: String = try row[3]
            return Principal(user: try row[0], name: "\(user) (token \(token))", role: role)
        } ?? nil
    }

    public func insertToken(name: String, user: User.ID, role: Role, hash: String, createdAt: String) throws -> Int64 {
        try sql.insert("""
            INSERT INTO api_token (name, user_id, role, token_hash, created_at) VALUES (\(name), \(user), \(role.rawValue), \(hash), \(createdAt))
            ON CONFLICT (token_hash) DO NOTHING
            """)
    }

    public func revokeToken(_ id: Int64, at: String) throws -> Bool {
        try sql.execute("UPDATE api_token SET revoked_at = \(at) WHERE id = \(id) AND revoked_at IS NULL") == 1
    }

    // MARK: idempotency

    public func idempotentResult(principal: String, key: String) throws -> IdempotentResult? {
        try sql.row("SELECT request_hash, status, content_type, body FROM idempotency WHERE principal = \(principal) AND key = \(key)") {
            IdempotentResult(requestHash: try $0[0], status: try $0[1], contentType: try $0[2], body: try ($0[3] as [UInt8]?) ?? [])
        }
    }

    public func claimIdempotencyKey(principal: String, key: String, requestHash: String, at: String) throws {
        try sql.insertOnce("""
            INSERT INTO idempotency (key, principal, request_hash, created_at) VALUES (\(key), \(principal), \(requestHash), \(at))
            ON CONFLICT DO NOTHING
            """)
    }

    public func completeIdempotencyKey(principal: String, key: String, status: Int, contentType: String, body: [UInt8]) throws {
        try sql.execute("""
            UPDATE idempotency SET status = \(status), content_type = \(contentType), body = \(body)
            WHERE principal = \(principal) AND key = \(key)
            """)
    }

    public func releaseIdempotencyKey(principal: String, key: String) throws {
        try sql.execute("DELETE FROM idempotency WHERE principal = \(principal) AND key = \(key) AND status IS NULL")
    }

    // MARK: browser sessions

    public func session(tokenHash: String) throws -> SessionRecord? {
        try sql.row("""
            SELECT \(Self.userColumns), s.csrf, s.created_at, s.seen_at
            FROM web_session s JOIN "user" u ON u.id = s.user_id WHERE s.token_hash = \(tokenHash)
            """) { row in
            SessionRecord(user: try Self.user(row).user, csrf: try row[7], createdAt: try row[8], seenAt: try row[9])
        }
    }

    public func insertSession(tokenHash: String, user: User.ID, csrf: String, at: Int64) throws {
        try sql.execute("""
            INSERT INTO web_session (token_hash, user_id, csrf, created_at, seen_at) VALUES (\(tokenHash), \(user), \(csrf), \(at), \(at))
            """)
    }

    public func touchSession(tokenHash: String, at: Int64) throws {
        try sql.execute("UPDATE web_session SET seen_at = \(at) WHERE token_hash = \(tokenHash)")
    }

    public func deleteSession(tokenHash: String) throws {
        try sql.execute("DELETE FROM web_session WHERE token_hash = \(tokenHash)")
    }

    public func deleteSessions(idleBefore: Int64, createdBefore: Int64) throws {
        try sql.execute("DELETE FROM web_session WHERE seen_at < \(idleBefore) OR created_at < \(createdBefore)")
    }
}
