import Crypto
import Foundation
import Interchange

/// An API token as listed: never the token itself, which is shown once when it is made.
public struct APIToken: Hashable, Sendable {
    public let id: Int64
    public let name: String
    public let user: String
    public let role: Role
    public let createdAt: String
    public let revokedAt: String?
    public init(id: Int64, name: String, user: String, role: Role, createdAt: String, revokedAt: String?) {
        self.id = id
        self.name = name
        self.user = user
        self.role = role
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

public protocol TokenQueries {
    func tokens() throws -> [APIToken]
    /// The principal of a live (not revoked, user not disabled) token with this hash.
    func principal(tokenHash: String) throws -> Principal?
}

public protocol TokenWrites {
    func insertToken(name: String, user: User.ID, role: Role, hash: String, createdAt: String) throws -> Int64
    func revokeToken(_ id: Int64, at: String) throws -> Bool
}

/// API tokens for integrations: each acts for a user, with that user's role or read-only.
public struct Tokens: Sendable {
    let storage: any BookStorage
    let caller: Caller
    public static let prefix = "arb_"

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    /// Makes a token and returns it with its record: the only time the token is ever shown.
    public func create(name: String, user: String, role: Role? = nil) async throws -> (token: String, record: APIToken) {
        guard !name.isEmpty, name.count <= 64 else { throw BookError.invalid(field: "name", reason: "1 to 64 characters") }
        let token = Self.prefix + Secret.random(bytes: 32)
        let hash = Self.hash(token)
        let record = try await storage.writing(caller, .manageUsers) { writer in
            let owner = try Users.require(user, writer.tx)
            let granted = role ?? owner.role
            guard granted == owner.role || granted == .auditor else {
                throw BookError.invalid(field: "role", reason: "a token has its user's role (\(owner.role.rawValue)) or auditor")
            }
            let id = try writer.tx.insertToken(name: name, user: owner.id, role: granted, hash: hash, createdAt: writer.caller.now())
            try writer.audit("create", "api_token", key: String(id),
                             after: .object([("name", .string(name)), ("user", .string(user)), ("role", .string(granted.rawValue))]))
            guard let record = try writer.tx.tokens().first(where: { $0.id == id }) else {
                throw BookError.notFound(what: "token", key: String(id))
            }
            return record
        }
        return (token, record)
    }

    public func list() async throws -> [APIToken] {
        try caller.principal.require(.manageUsers)
        return try await storage.read { try $0.tokens() }
    }

    public func revoke(_ id: Int64) async throws {
        try await storage.writing(caller, .manageUsers) { writer in
            guard try writer.tx.revokeToken(id, at: writer.caller.now()) else {
                throw BookError.notFound(what: "token", key: String(id))
            }
            try writer.audit("revoke", "api_token", key: String(id), after: nil)
        }
    }

    /// The principal a presented token acts as, or nil for an unknown, revoked or malformed one.
    public static func principal(for token: String, storage: any BookStorage) async throws -> Principal? {
        guard token.hasPrefix(prefix), token.utf8.count == prefix.utf8.count + 64 else { return nil }
        let hash = hash(token)
        return try await storage.read { try $0.principal(tokenHash: hash) }
    }

    static func hash(_ token: String) -> String {
        Secret.sha256(token)
    }
}
