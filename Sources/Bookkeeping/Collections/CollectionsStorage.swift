import Receivables

/// An open item as the dunning run reads it, with what dunning has done to it so far. Its amounts
/// are in its invoice's currency.
public struct DunningItemRecord: Hashable, Sendable {
    public let item: OpenItem.ID
    public let customer: Customer.ID
    public let invoice: DocumentNumber
    public let issue: Day
    public let due: Day
    public let amount: Money
    public let open: Money
    public let isFee: Bool
    /// The highest level sent for it (0: none).
    public let levelSent: Int
    public let interestCharged: Money
    /// Held back by open disputes on its invoice, spread over its items latest due first.
    public let disputed: Money

    public init(item: OpenItem.ID, customer: Customer.ID, invoice: DocumentNumber, issue: Day, due: Day, amount: Money, open: Money,
                isFee: Bool, levelSent: Int, interestCharged: Money, disputed: Money) {
        self.item = item
        self.customer = customer
        self.invoice = invoice
        self.issue = issue
        self.due = due
        self.amount = amount
        self.open = open
        self.isFee = isFee
        self.levelSent = levelSent
        self.interestCharged = interestCharged
        self.disputed = disputed
    }

    public func with(disputed: Money) -> DunningItemRecord {
        DunningItemRecord(item: item, customer: customer, invoice: invoice, issue: issue, due: due, amount: amount, open: open,
                          isFee: isFee, levelSent: levelSent, interestCharged: interestCharged, disputed: disputed)
    }

    /// How much of each item open disputes hold back: a dispute is on an invoice (`disputes` is the
    /// Σ of its open disputes, repeated on each of its items) and holds back its items' open amounts,
    /// latest due first. The result is in the order of `items`, each in its item's currency.
    public static func disputed(_ items: [(record: DunningItemRecord, invoice: Invoice.ID, disputes: Money)]) -> [Money] {
        var left: [Invoice.ID: Int64] = [:]
        for entry in items where entry.disputes.isPositive { left[entry.invoice] = entry.disputes.minorUnits }
        var disputed = items.map { Money.zero($0.record.open.currency) }
        guard !left.isEmpty else { return disputed }
        for index in items.indices.sorted(by: { (items[$0].record.due, items[$0].record.item) > (items[$1].record.due, items[$1].record.item) })
        where (left[items[index].invoice] ?? 0) > 0 {
            let open = items[index].record.open
            let held = min(left[items[index].invoice] ?? 0, open.minorUnits)
            disputed[index] = Money(minorUnits: held, currency: open.currency)
            left[items[index].invoice, default: 0] -= held
        }
        return disputed
    }
}

/// A customer's collections settings.
public struct CollectionsProfile: Hashable, Sendable {
    public let customer: Customer.ID
    public let category: String
    public let exempt: Bool
    /// "zh-CN" or "en": the language messages are written in.
    public let language: String
    public let email: String
    public let onHoldSince: Day?
    /// A policy of the customer's own (their contract's terms), before their category's.
    public let policy: String?

    public init(customer: Customer.ID, category: String, exempt: Bool, language: String, email: String, onHoldSince: Day?,
                policy: String? = nil) {
        self.customer = customer
        self.category = category
        self.exempt = exempt
        self.language = language
        self.email = email
        self.onHoldSince = onHoldSince
        self.policy = policy
    }
}

/// A promise to pay as stored.
public struct PromiseRecord: Hashable, Sendable {
    public let id: PromiseToPay.ID
    public let customer: Customer.ID
    public let invoice: DocumentNumber?
    public let amount: Money
    public let made: Day
    public let due: Day
    public let recordedBy: String
    public let note: String
    public let escalatedOn: Day?
    /// Receipts from the customer dated from `made` through the day asked about (not reversed).
    public let paid: Money

    public init(id: PromiseToPay.ID, customer: Customer.ID, invoice: DocumentNumber?, amount: Money, made: Day, due: Day,
                recordedBy: String, note: String, escalatedOn: Day?, paid: Money) {
        self.id = id
        self.customer = customer
        self.invoice = invoice
        self.amount = amount
        self.made = made
        self.due = due
        self.recordedBy = recordedBy
        self.note = note
        self.escalatedOn = escalatedOn
        self.paid = paid
    }

    public var promise: PromiseToPay {
        PromiseToPay(id: id, invoice: invoice, amount: amount, day: due, paid: paid, escalated: escalatedOn != nil)
    }
}

public enum DisputeStatus: String, CaseIterable, Hashable, Sendable {
    case open, resolved, rejected
}

/// A dispute (争议) on an invoice, whole or in part.
public struct DisputeRecord: Hashable, Sendable {
    public typealias ID = Identifier<DisputeRecord>
    public let id: ID
    public let customer: Customer.ID
    public let invoice: DocumentNumber
    public let amount: Money
    public let reason: String
    public let opened: Day
    public let owner: String
    public let status: DisputeStatus
    public let closed: Day?
    public let resolution: String

    public init(id: ID, customer: Customer.ID, invoice: DocumentNumber, amount: Money, reason: String, opened: Day,
                owner: String, status: DisputeStatus, closed: Day?, resolution: String) {
        self.id = id
        self.customer = customer
        self.invoice = invoice
        self.amount = amount
        self.reason = reason
        self.opened = opened
        self.owner = owner
        self.status = status
        self.closed = closed
        self.resolution = resolution
    }
}

/// A message waiting in (or gone through) the outbox.
public struct OutboxMessage: Hashable, Sendable {
    public let notice: NoticeRecord.ID?
    public let customer: Customer.ID
    public let channel: DunningChannel
    public let language: String
    public let recipient: String
    public let subject: String
    public let body: String

    public init(notice: NoticeRecord.ID?, customer: Customer.ID, channel: DunningChannel, language: String, recipient: String,
                subject: String, body: String) {
        self.notice = notice
        self.customer = customer
        self.channel = channel
        self.language = language
        self.recipient = recipient
        self.subject = subject
        self.body = body
    }
}

extension OutboxMessage {
    /// SHA-256 of what the message says and to whom (channel, language, recipient, subject, body, each
    /// with its length): what the dunning run seals into the audit chain.
    public static func digest(_ message: OutboxMessage) -> String {
        let fields = [message.channel.rawValue, message.language, message.recipient, message.subject, message.body]
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Secret.sha256(text)
    }
}

/// How a collector reached the customer.
public enum ActivityKind: String, CaseIterable, Hashable, Sendable {
    case call, email, visit, note

    /// The kind named `text`, or an error naming `field` and the kinds there are.
    public static func named(_ text: String, field: String = "kind") throws -> ActivityKind {
        guard let kind = ActivityKind(rawValue: text) else {
            throw BookError.invalid(field: field, reason: allCases.map(\.rawValue).joined(separator: ", "))
        }
        return kind
    }
}

/// An activity (沟通记录): a call, email, visit or note, with its outcome and the next action agreed.
public struct ActivityRecord: Hashable, Sendable {
    public typealias ID = Identifier<ActivityRecord>
    public let id: ID
    public let customer: Customer.ID
    public let invoice: DocumentNumber?
    public let kind: ActivityKind
    public let day: Day
    public let outcome: String
    public let nextActionDay: Day?
    public let nextAction: String
    public let actor: String

    public init(id: ID, customer: Customer.ID, invoice: DocumentNumber?, kind: ActivityKind, day: Day, outcome: String,
                nextActionDay: Day?, nextAction: String, actor: String) {
        self.id = id
        self.customer = customer
        self.invoice = invoice
        self.kind = kind
        self.day = day
        self.outcome = outcome
        self.nextActionDay = nextActionDay
        self.nextAction = nextAction
        self.actor = actor
    }
}

/// What is to be done next with a customer, and when.
public struct NextAction: Hashable, Sendable {
    public let day: Day
    public let action: String
    public init(day: Day, action: String) {
        self.day = day
        self.action = action
    }
}

public enum OutboxStatus: String, CaseIterable, Hashable, Sendable {
    /// Waiting for its first or next attempt.
    case pending
    case sent
    /// Given up after the last attempt.
    case failed
}

/// A message in the outbox with its delivery state.
public struct StoredOutboxMessage: Hashable, Sendable {
    public typealias ID = Identifier<StoredOutboxMessage>
    public let id: ID
    public let message: OutboxMessage
    public let status: OutboxStatus
    public let attempts: Int
    public let nextAttemptAt: String?
    public let lastError: String?
    public let createdAt: String
    public let sentAt: String?

    public init(id: ID, message: OutboxMessage, status: OutboxStatus, attempts: Int, nextAttemptAt: String?, lastError: String?,
                createdAt: String, sentAt: String?) {
        self.id = id
        self.message = message
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// A dunning message as written: its customer, level and amounts.
public struct NoticeRecord: Hashable, Sendable {
    public typealias ID = Identifier<NoticeRecord>
    public let customer: Customer.ID
    public let day: Day
    public let level: Int
    public let levelName: String
    public let policy: String
    public let chased: Money
    public let fee: Money
    public let interest: Money
    public let feeInvoice: Invoice.ID?

    public init(customer: Customer.ID, day: Day, level: Int, levelName: String, policy: String, chased: Money, fee: Money,
                interest: Money, feeInvoice: Invoice.ID?) {
        self.customer = customer
        self.day = day
        self.level = level
        self.levelName = levelName
        self.policy = policy
        self.chased = chased
        self.fee = fee
        self.interest = interest
        self.feeInvoice = feeInvoice
    }
}

public protocol CollectionsQueries {
    /// Open items issued by `asOf` and due by `dueBy` of every customer, with their dunning state.
    func dunningItems(asOf: Day, dueBy: Day) throws -> [DunningItemRecord]
    /// Each item's allocations that are not reversed, as (day, amount), for late interest.
    func itemAllocations(_ items: [DunningItemRecord]) throws -> [OpenItem.ID: [(day: Day, amount: Money)]]
    func collectionsProfiles() throws -> [Customer.ID: CollectionsProfile]
    /// The customers on credit hold, with the day each was put on it.
    func heldCustomers() throws -> [(customer: Customer.ID, since: Day)]
    /// Promises not yet escalated, with what was received since each was made, through `asOf`.
    func promises(asOf: Day) throws -> [PromiseRecord]
    func disputes(status: DisputeStatus?) throws -> [DisputeRecord]
    func disputes(customer: Customer.ID) throws -> [DisputeRecord]
    func dispute(id: DisputeRecord.ID) throws -> DisputeRecord?
    /// Policies by name (their stored definitions) and the category each is assigned to.
    func dunningPolicies() throws -> (definitions: [String: String], categories: [String: String])
    func dunningRunExists(day: Day) throws -> Bool
    /// The latest day a dunning run was done, nil before the first.
    func lastDunningRun() throws -> Day?
    func notices(customer: Customer.ID) throws -> [NoticeRecord]
    /// Whether the invoice was charged by dunning (a late fee) rather than issued.
    func isLateFee(invoice: Invoice.ID) throws -> Bool
    /// The newest messages first, optionally of one status, older than `before`.
    func outboxMessages(status: OutboxStatus?, limit: Int, before: StoredOutboxMessage.ID?) throws -> [StoredOutboxMessage]
    func outboxMessage(id: StoredOutboxMessage.ID) throws -> StoredOutboxMessage?
    /// The customer's activities, newest first.
    func activities(customer: Customer.ID, limit: Int) throws -> [ActivityRecord]
    /// Each customer's current next action: the one agreed in their latest activity that names one.
    func nextActions() throws -> [Customer.ID: NextAction]
    /// Every promise of the customer (escalated ones too), with what was received since each, through `asOf`.
    func promises(customer: Customer.ID, asOf: Day) throws -> [PromiseRecord]
    /// Promises due from `from` through `to`, escalated or not, with what was received through `asOf`.
    func promisesDue(from: Day, to: Day, asOf: Day) throws -> [PromiseRecord]
    /// The due day of each customer's oldest item open and overdue on `asOf`.
    func oldestOverdue(asOf: Day) throws -> [Customer.ID: Day]
}

public protocol CollectionsWrites {
    /// Takes the pending messages whose next attempt is due by `now` (ISO 8601 UTC), oldest first, and
    /// moves their next attempt to `leaseUntil`: another sender (another server) does not take them
    /// while this one sends, and takes them again should this one never record the attempt.
    func claimOutboxMessages(now: String, leaseUntil: String, limit: Int) throws -> [StoredOutboxMessage]
    /// Records that the run for `day` has started; throws `.duplicate` if it ran already.
    func insertDunningRun(day: Day, at: String) throws
    func insertNotice(_ notice: NoticeRecord, lines: [DunningNotice.Line]) throws -> NoticeRecord.ID
    func insertOutbox(_ message: OutboxMessage, at: String) throws -> StoredOutboxMessage.ID
    func setCreditHold(customer: Customer.ID, since: Day?) throws
    func setLegal(customer: Customer.ID, since: Day) throws
    func setDunningExempt(customer: Customer.ID, exempt: Bool) throws
    func markPromiseEscalated(_ id: PromiseToPay.ID, on day: Day) throws
    func insertPromise(customer: Customer.ID, invoice: Invoice.ID?, amount: Money, made: Day, due: Day, recordedBy: String,
                       note: String, at: String) throws -> PromiseToPay.ID
    func insertDispute(customer: Customer.ID, invoice: Invoice.ID, amount: Money, reason: String, opened: Day, owner: String,
                       at: String) throws -> DisputeRecord.ID
    func closeDispute(_ id: DisputeRecord.ID, status: DisputeStatus, day: Day, resolution: String, creditNote: Credit.ID?) throws
    func saveDunningPolicy(name: String, definition: String, at: String) throws
    func assignDunningPolicy(category: String, policy: String?) throws
    func assignDunningPolicy(customer: Customer.ID, policy: String?) throws
    /// "zh-CN" or "en".
    func setCustomerLanguage(customer: Customer.ID, language: String) throws
    /// Records an attempt: sent, or failed with `error` and the next attempt (nil: given up).
    func recordOutboxAttempt(_ id: StoredOutboxMessage.ID, at: String, error: String?, nextAttemptAt: String?) throws
    /// Puts a message back in the queue for an attempt now (a resend).
    func requeueOutboxMessage(_ id: StoredOutboxMessage.ID, at: String) throws
    func insertActivity(customer: Customer.ID, invoice: Invoice.ID?, kind: ActivityKind, day: Day, outcome: String, nextActionDay: Day?,
                        nextAction: String, actor: String, at: String) throws -> ActivityRecord.ID
}
