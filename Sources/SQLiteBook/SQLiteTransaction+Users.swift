import Bookkeeping
import GRDB
import Receivables

extension SQLiteTransaction {
    static let userColumns = "id, name, display_name, role, disabled, created_at, password_hash"

    static func user(_ row: Row) throws -> StoredUser {
        guard let role = Role(rawValue: row[3]) else {
            throw StorageError(code: .incompatible, message: "unknown role \(row[3] as String)")
        }
        return StoredUser(user: User(id: row[0], name: row[1], displayName: row[2], role: role, disabled: row[4], createdAt: row[5]),
                          passwordHash: row[6])
    }

    func user(name: String) throws -> StoredUser? {
        try row("SELECT \(Self.userColumns) FROM user WHERE name = ?", [name]).map(Self.user)
    }

    func users() throws -> [User] {
        try rows("SELECT \(Self.userColumns) FROM user ORDER BY name").map { try Self.user($0).user }
    }

    func insertUser(name: String, displayName: String, passwordHash: String, role: Role, createdAt: String) throws -> Int64 {
        try insertRow("INSERT INTO user (name, display_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
                      name, displayName, passwordHash, role.rawValue, createdAt)
    }

    func updateUser(_ id: Int64, passwordHash: String?, disabled: Bool?) throws {
        try run("UPDATE user SET password_hash = COALESCE(?, password_hash), disabled = COALESCE(?, disabled) WHERE id = ?",
                passwordHash, disabled.map { $0 ? 1 : 0 }, id)
    }

    func assignCollector(customer: Customer.ID, user: Int64?) throws {
        try run("UPDATE customer SET collector_user_id = ? WHERE id = ?", user, customer.rawValue)
    }
}
