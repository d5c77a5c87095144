/// What a person may do in the book. Closed set: every switch over it is exhaustive.
public enum Role: String, CaseIterable, Hashable, Sendable {
    /// Everything, including users and settings.
    case admin
    /// Keeps the book: customers, invoices, receipts, allocations, imports.
    case accountant
    /// Works their assigned customers: reads them (and, with the collections issue, chases them).
    case collector
    /// Reads everything and approves what needs approval.
    case manager
    /// Reads everything, the audit trail included; writes nothing.
    case auditor

    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .readBook: true
        case .writeBook: self == .admin || self == .accountant
        case .manageUsers: self == .admin
        case .readAudit: self == .admin || self == .auditor
        case .chase: self != .auditor
        case .runDunning: self == .admin || self == .accountant || self == .manager
        case .configureCollections, .waiveFees: self == .admin || self == .manager
        }
    }

    /// Whether this role sees only the customers assigned to the person.
    public var seesAssignedCustomersOnly: Bool { self == .collector }
}

/// A kind of action a use case checks before it does anything.
public enum Permission: String, Hashable, Sendable {
    case readBook
    case writeBook
    case manageUsers
    case readAudit
    /// Record promises to pay, disputes and activities for the customers one sees.
    case chase
    /// Run the daily dunning (it sends messages and charges fees).
    case runDunning
    /// Set dunning policies and exempt customers.
    case configureCollections
    /// Waive a late fee (a recorded credit note on the fee).
    case waiveFees
}

/// Who is acting: a signed-in user, an API token acting for one, or the operator at the command line.
///
/// Use cases take the principal and check it themselves, so the CLI, the API and the pages cannot
/// bypass a rule by calling the book another way.
public struct Principal: Hashable, Sendable {
    /// The user's id in the book; nil for the command-line operator.
    public let user: User.ID?
    public let name: String
    public let role: Role
    /// The person's name as pages greet them ("王芳"), when the user has one; `name` is the login.
    public let displayName: String?

    public init(user: User.ID?, name: String, role: Role, displayName: String? = nil) {
        self.user = user
        self.name = name
        self.role = role
        self.displayName = displayName
    }

    /// The person at the command line: whoever can open the book's file owns it.
    public static let commandLine = Principal(user: nil, name: "cli", role: .admin)

    /// Throws `BookError.forbidden` unless the role allows `permission`.
    public func require(_ permission: Permission) throws {
        guard role.allows(permission) else { throw BookError.forbidden(permission) }
    }
}

extension Principal {
    /// Whether this principal may see a customer assigned to `collector` (a user id, or nobody).
    public func sees(_ collector: User.ID?) -> Bool {
        !role.seesAssignedCustomersOnly || (collector != nil && collector == user)
    }

    public func sees(_ customer: CustomerSummary) -> Bool { sees(customer.collector) }
}
