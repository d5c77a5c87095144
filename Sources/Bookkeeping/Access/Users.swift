import Dispatch
import HummingbirdBcrypt
import Interchange
import Receivables

/// Users, their passwords and roles, and which customers each collector works.
public struct Users: Sendable {
    let storage: any BookStorage
    let caller: Caller
    /// Bcrypt's work factor; tests lower it, nothing else should.
    let cost: UInt8

    public init(storage: any BookStorage, caller: Caller, cost: UInt8 = 12) {
        self.storage = storage
        self.caller = caller
        self.cost = cost
    }

    public func add(name: String, displayName: String, password: String, role: Role) async throws -> User {
        try Self.checkName(name)
        try Self.checkPassword(password)
        let hash = await Self.hashing(password, cost: cost)
        return try await storage.writing(caller, .manageUsers) { writer in
            let id = try writer.storing(field: "name", value: name) {
                try writer.tx.insertUser(name: name, displayName: displayName.isEmpty ? name : displayName,
                                         passwordHash: hash, role: role, createdAt: writer.caller.now())
            }
            guard let user = try writer.tx.user(name: name)?.user, user.id == id else {
                throw BookError.notFound(what: "user", key: name)
            }
            try writer.audit("create", "user", key: name, after: Self.json(user))
            return user
        }
    }

    public func setPassword(name: String, password: String) async throws {
        try Self.checkPassword(password)
        let hash = await Self.hashing(password, cost: cost)
        try await storage.writing(caller, .manageUsers) { writer in
            let user = try Self.require(name, writer.tx)
            try writer.tx.updateUser(user.id, passwordHash: hash, disabled: nil)
            try writer.audit("set_password", "user", key: name, after: nil)
        }
    }

    public func setDisabled(name: String, _ disabled: Bool) async throws {
        try await storage.writing(caller, .manageUsers) { writer in
            let user = try Self.require(name, writer.tx)
            try writer.tx.updateUser(user.id, passwordHash: nil, disabled: disabled)
            try writer.audit(disabled ? "disable" : "enable", "user", key: name, before: Self.json(user),
                             after: Self.json(try Self.require(name, writer.tx)))
        }
    }

    public func list() async throws -> [User] {
        try caller.principal.require(.manageUsers)
        return try await storage.read { try $0.users() }
    }

    /// Assigns customers to a collector; only a collector can be assigned customers.
    public func assign(customers codes: [Customer.Code], to name: String) async throws {
        try await storage.writing(caller) { writer in
            let user = try Self.require(name, writer.tx)
            guard user.role == .collector else {
                throw BookError.invalid(field: "user", reason: "\(name) is a \(user.role.rawValue), not a collector")
            }
            for code in codes {
                let customer = try writer.requireCustomer(code)
                try writer.tx.assignCollector(customer: customer.id, user: user.id)
                try writer.audit("assign", "customer", key: code.rawValue, before: .object([("collector", customer.collector.map { .int($0.rawValue) } ?? .null)]),
                                 after: .object([("collector", .string(name))]))
            }
        }
    }

    /// The principal for a name and password, or nil: unknown users, wrong passwords and disabled
    /// users all answer nil alike, and take as long.
    public func authenticate(name: String, password: String) async throws -> Principal? {
        guard name.utf8.count <= User.nameLengthMax, password.utf8.count <= User.passwordBytesMax else { return nil }
        let stored = try await storage.read { try $0.user(name: name) }
        let hash = stored?.passwordHash ?? Self.absentHash
        let matches = await Self.offThePool { Bcrypt.verify(password, hash: hash) }
        guard let stored, matches, !stored.user.disabled else { return nil }
        return stored.user.principal
    }

    /// Whether the book still needs its first admin: true while it has no users at all. Asked before
    /// anyone can sign in (the set-up page), so it needs no caller.
    public static func needsFirstAdmin(storage: any BookStorage) async throws -> Bool {
        try await storage.read { try $0.users().isEmpty }
    }

    static func hashing(_ password: String, cost: UInt8) async -> String {
        await offThePool { Bcrypt.hash(password, cost: cost) }
    }

    /// Runs bcrypt (a quarter of a second of work by design) on a thread of its own rather than one
    /// of Swift's few cooperative threads, which every request shares: a burst of sign-ins must not
    /// stall the server.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    /// A hash verified when the user does not exist, so that the answer takes as long.
    private static let absentHash = Bcrypt.hash("not a password of anyone's", cost: 12)

    static func require(_ name: String, _ tx: any BookTransaction) throws -> User {
        guard let user = try tx.user(name: name)?.user else { throw BookError.notFound(what: "user", key: name) }
        return user
    }

    static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count <= User.nameLengthMax,
              name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-@".unicodeScalars.contains($0) }) else {
            throw BookError.invalid(field: "name", reason: "1 to \(User.nameLengthMax) letters, digits or . _ - @")
        }
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= User.passwordLengthMin else {
            throw BookError.invalid(field: "password", reason: "at least \(User.passwordLengthMin) characters")
        }
        guard password.utf8.count <= User.passwordBytesMax else {
            throw BookError.invalid(field: "password", reason: "at most \(User.passwordBytesMax) bytes")
        }
    }

    static func json(_ user: User) -> JSONText {
        .object([("name", .string(user.name)), ("display_name", .string(user.displayName)), ("role", .string(user.role.rawValue)),
                 ("disabled", .bool(user.disabled))])
    }
}
