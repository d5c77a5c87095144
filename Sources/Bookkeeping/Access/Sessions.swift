import Crypto
import Foundation

/// A signed-in browser session as the book keeps it: only the token's hash is stored.
public struct SessionRecord: Hashable, Sendable {
    public let user: User
    public let csrf: String
    public let createdAt: Int64
    public let seenAt: Int64
    public init(user: User, csrf: String, createdAt: Int64, seenAt: Int64) {
        self.user = user
        self.csrf = csrf
        self.createdAt = createdAt
        self.seenAt = seenAt
    }
}

public protocol SessionQueries {
    func session(tokenHash: String) throws -> SessionRecord?
}

public protocol SessionWrites {
    func insertSession(tokenHash: String, user: User.ID, csrf: String, at: Int64) throws
    func touchSession(tokenHash: String, at: Int64) throws
    func deleteSession(tokenHash: String) throws
    /// Removes sessions last seen before `idleBefore` or created before `createdBefore`.
    func deleteSessions(idleBefore: Int64, createdBefore: Int64) throws
}

/// Browser sessions: opened at sign-in, ended by sign-out, by two hours idle or after twelve hours.
public struct Sessions: Sendable {
    public static let idleSeconds: Int64 = 2 * 3600
    public static let absoluteSeconds: Int64 = 12 * 3600
    /// A session's last-seen time is written at most this often.
    static let touchSeconds: Int64 = 60

    let storage: any BookStorage
    /// Seconds since 1970, injected.
    let clock: @Sendable () -> Int64

    public init(storage: any BookStorage, clock: @escaping @Sendable () -> Int64) {
        self.storage = storage
        self.clock = clock
    }

    /// A new session for a signed-in user: its cookie token and its CSRF token.
    public func open(for principal: Principal) async throws -> (token: String, csrf: String) {
        guard let user = principal.user else { throw BookError.invalid(field: "user", reason: "only users have sessions") }
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let now = clock()
        try await storage.write { tx in
            try tx.deleteSessions(idleBefore: now - Self.idleSeconds, createdBefore: now - Self.absoluteSeconds)
            try tx.insertSession(tokenHash: Self.hash(token), user: user, csrf: csrf, at: now)
        }
        return (token, csrf)
    }

    /// The principal and CSRF token of a live session, or nil.
    public func resume(_ token: String) async throws -> (principal: Principal, csrf: String)? {
        guard token.utf8.count == 64 else { return nil }
        let hash = Self.hash(token)
        let now = clock()
        guard let record = try await storage.read({ try $0.session(tokenHash: hash) }) else { return nil }
        guard !record.user.disabled, now - record.seenAt < Self.idleSeconds, now - record.createdAt < Self.absoluteSeconds else {
            try await close(token)
            return nil
        }
        if now - record.seenAt >= Self.touchSeconds {
            try await storage.write { tx in try tx.touchSession(tokenHash: hash, at: now) }
        }
        return (record.user.principal, record.csrf)
    }

    public func close(_ token: String) async throws {
        let hash = Self.hash(token)
        try await storage.write { tx in try tx.deleteSession(tokenHash: hash) }
    }

    /// 32 random bytes as 64 hex digits.
    public static func randomToken() -> String {
        Secret.random(bytes: 32)
    }

    static func hash(_ token: String) -> String {
        Secret.sha256(token)
    }
}
