import Bookkeeping
import GRDB

extension SQLiteTransaction {
    func session(tokenHash: String) throws -> SessionRecord? {
        guard let row = try row("""
            SELECT u.id, u.name, u.display_name, u.role, u.disabled, u.created_at, u.password_hash, s.csrf, s.created_at, s.seen_at
            FROM web_session s JOIN user u ON u.id = s.user_id WHERE s.token_hash = ?
            """, [tokenHash]) else { return nil }
        return SessionRecord(user: try Self.user(row).user, csrf: row[7], createdAt: row[8], seenAt: row[9])
    }

    func insertSession(tokenHash: String, user: Int64, csrf: String, at: Int64) throws {
        try run("INSERT INTO web_session (token_hash, user_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)", tokenHash, user, csrf, at, at)
    }

    func touchSession(tokenHash: String, at: Int64) throws {
        try run("UPDATE web_session SET seen_at = ? WHERE token_hash = ?", at, tokenHash)
    }

    func deleteSession(tokenHash: String) throws {
        try run("DELETE FROM web_session WHERE token_hash = ?", tokenHash)
    }

    func deleteSessions(idleBefore: Int64, createdBefore: Int64) throws {
        try run("DELETE FROM web_session WHERE seen_at < ? OR created_at < ?", idleBefore, createdBefore)
    }
}
