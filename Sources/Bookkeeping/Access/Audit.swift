import Interchange
import Receivables

/// One line of the audit trail: who did what to which record, when, and what it was before and after.
/// Written in the same transaction as the change; never edited.
public struct AuditRecord: Hashable, Sendable {
    public let id: Int64?
    public let at: String
    public let actor: String
    public let actorUser: User.ID?
    public let action: String
    public let entity: String
    public let key: String
    /// JSON of the record before the change; nil for a creation.
    public let before: String?
    /// JSON of the record after the change.
    public let after: String?

    public init(id: Int64? = nil, at: String, actor: String, actorUser: User.ID?, action: String, entity: String,
                key: String, before: String?, after: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.actorUser = actorUser
        self.action = action
        self.entity = entity
        self.key = key
        self.before = before
        self.after = after
    }
}

/// Reading the audit trail: admins and auditors only.
public struct AuditTrail: Sendable {
    let storage: any BookStorage
    let caller: Caller
    public static let pageSizeMax = 500

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    /// The newest records first, `limit` at most, older than `before` when given.
    public func records(limit: Int = 100, before: Int64? = nil) async throws -> [AuditRecord] {
        try caller.principal.require(.readAudit)
        guard (1...Self.pageSizeMax).contains(limit) else {
            throw BookError.invalid(field: "limit", reason: "must be between 1 and \(Self.pageSizeMax)")
        }
        return try await storage.read { try $0.auditRecords(limit: limit, before: before) }
    }
}

extension BookWriter {
    /// Records a write of the caller's in the audit trail, in the current transaction.
    public func audit(_ action: String, _ entity: String, key: String, before: JSONText? = nil, after: JSONText?) throws {
        try tx.insertAudit(AuditRecord(at: caller.now(), actor: caller.principal.name, actorUser: caller.principal.user,
                                       action: action, entity: entity, key: key,
                                       before: before?.render(), after: after?.render()))
        if tx.sealsChainsInline { try AuditChain.extend(tx) }
    }
}

/// The JSON the audit trail keeps of each kind of record.
enum AuditJSON {
    static func money(_ money: Money) -> JSONText { .string(money.decimalString + " " + money.currency.code) }

    static func customer(_ customer: Customer) -> JSONText {
        .object([("code", .string(customer.code.rawValue)), ("name", .string(customer.name)),
                 ("currency", .string(customer.currency.code)), ("terms", .string(customer.terms.description)),
                 ("credit_limit", money(customer.creditLimit)), ("category", .string(customer.category)),
                 ("email", .string(customer.email)), ("phone", .string(customer.phone))])
    }

    static func invoice(_ invoice: Invoice) -> JSONText {
        .object([("number", .string(invoice.number.rawValue)), ("customer", .string(invoice.customer.rawValue)),
                 ("issue", .string(invoice.issue.description)), ("amount", money(invoice.amount)),
                 ("due", .array(invoice.schedule.map { .string("\($0.due) \($0.amount.decimalString)") }))])
    }

    static func credit(_ credit: StoredCredit) -> JSONText {
        .object([("kind", .string(credit.kind.rawValue)), ("reference", .string(credit.reference.rawValue)),
                 ("day", .string(credit.day.description)), ("amount", money(credit.amount)),
                 ("unapplied", money(credit.unapplied)), ("method", credit.method.map { .string($0.rawValue) } ?? .null),
                 ("reversed", credit.reversedOn.map { .string($0.description) } ?? .null)])
    }

    static func allocation(_ record: AllocationRecord) -> JSONText {
        .object([("id", .int(record.id.rawValue)), ("kind", .string(record.kind.rawValue)), ("credit", .int(record.credit.rawValue)),
                 ("item", record.item.map { .int($0.rawValue) } ?? .null), ("day", .string(record.day.description)),
                 ("amount", money(record.amount))])
    }
}
