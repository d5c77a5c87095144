import Receivables
/// A person who signs in to the book.
public struct User: Hashable, Sendable {
    public typealias ID = Identifier<User>
    public let id: ID
    public let name: String
    public let displayName: String
    public let role: Role
    public let disabled: Bool
    public let createdAt: String

    public init(id: ID, name: String, displayName: String, role: Role, disabled: Bool, createdAt: String) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.role = role
        self.disabled = disabled
        self.createdAt = createdAt
    }

    public var principal: Principal {
        Principal(user: id, name: name, role: role, displayName: displayName.trimmed.isEmpty ? nil : displayName)
    }

    public static let nameLengthMax = 64
    /// Bcrypt reads at most 72 bytes; longer passwords would be silently cut, so they are refused.
    public static let passwordBytesMax = 72
    public static let passwordLengthMin = 10
}

/// A user as stored, with the password's bcrypt hash (never the password).
public struct StoredUser: Hashable, Sendable {
    public let user: User
    public let passwordHash: String
    public init(user: User, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

public protocol UserQueries {
    func user(name: String) throws -> StoredUser?
    func users() throws -> [User]
}

public protocol UserWrites {
    func insertUser(name: String, displayName: String, passwordHash: String, role: Role, createdAt: String) throws -> User.ID
    func updateUser(_ id: User.ID, passwordHash: String?, disabled: Bool?) throws
    /// Assigns a customer to a collector (nil: to nobody).
    func assignCollector(customer: Customer.ID, user: User.ID?) throws
}
