import Receivables

/// One entry in a customer's collections timeline, newest first.
public enum TimelineEntry: Hashable, Sendable {
    case activity(ActivityRecord)
    case notice(NoticeRecord)
    case promise(PromiseRecord)
    case dispute(DisputeRecord)

    public var day: Day {
        switch self {
        case .activity(let activity): activity.day
        case .notice(let notice): notice.day
        case .promise(let promise): promise.made
        case .dispute(let dispute): dispute.opened
        }
    }

    /// Orders entries of one day: what happened later in the day's work first.
    var rank: Int {
        switch self {
        case .activity: 0
        case .promise: 1
        case .dispute: 2
        case .notice: 3
        }
    }
}

/// A customer on the collector's worklist, with why they are on it today.
public struct WorklistRow: Hashable, Sendable {
    public enum Reason: String, Hashable, Sendable, CaseIterable {
        case brokenPromise = "broken_promise"
        case promiseDueToday = "promise_due_today"
        case nextActionDue = "next_action_due"
        case openDispute = "open_dispute"
        case overdue
    }

    public let code: Customer.Code
    public let name: String
    public let currency: Currency
    public let overdue: Money
    /// Days the oldest overdue item is late.
    public let daysOverdue: Int
    public let reasons: [Reason]
    public let nextAction: NextAction?
    public let openDisputes: Int
    public let onHold: Bool
}

extension Collections {
    public static let activityTextMax = 2000
    public static let worklistMax = 200

    /// Records a call, email, visit or note with its outcome and, optionally, the next action agreed;
    /// that next action puts the customer on the worklist on its day.
    public func recordActivity(customer code: Customer.Code, invoice: DocumentNumber?, kind: ActivityKind, day: Day, outcome: String,
                               nextActionDay: Day?, nextAction: String) async throws -> ActivityRecord.ID {
        let principal = caller.principal
        guard (1...Self.activityTextMax).contains(outcome.count) else {
            throw BookError.invalid(field: "outcome", reason: "1 to \(Self.activityTextMax) characters")
        }
        guard nextAction.count <= 500 else { throw BookError.invalid(field: "next_action", reason: "at most 500 characters") }
        if let nextActionDay, nextActionDay < day {
            throw BookError.invalid(field: "next_action_day", reason: "on or after the day of the activity")
        }
        if nextActionDay != nil, nextAction.isEmpty { throw BookError.invalid(field: "next_action", reason: "say what is to be done") }
        return try await storage.writing(caller, .chase) { writer in
            let customer = try Reports.visibleCustomer(code, reader: writer.tx, principal: principal)
            var invoiceID: Invoice.ID?
            if let invoice {
                guard let stored = try writer.tx.invoice(number: invoice), stored.customer == customer.id else {
                    throw BookError.notFound(what: "invoice", key: invoice.rawValue)
                }
                invoiceID = stored.id
            }
            let id = try writer.tx.insertActivity(customer: customer.id, invoice: invoiceID, kind: kind, day: day, outcome: outcome,
                                                  nextActionDay: nextActionDay, nextAction: nextAction, actor: principal.name,
                                                  at: writer.caller.now())
            try writer.audit("record", "activity", key: code.rawValue, after: .object([
                ("id", .int(id.rawValue)), ("kind", .string(kind.rawValue)), ("day", .string(day.description)), ("outcome", .string(outcome)),
            ]))
            return id
        }
    }

    /// The customer's collections history, newest first: activities, dunning messages, promises, disputes.
    public func timeline(customer code: Customer.Code, asOf: Day, limit: Int = 200) async throws -> [TimelineEntry] {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let customer = try Reports.visibleCustomer(code, reader: reader, principal: principal)
            var entries: [TimelineEntry] = try reader.activities(customer: customer.id, limit: limit).map(TimelineEntry.activity)
            entries += try reader.notices(customer: customer.id).map(TimelineEntry.notice)
            entries += try reader.promises(customer: customer.id, asOf: asOf).map(TimelineEntry.promise)
            entries += try reader.disputes(customer: customer.id).map(TimelineEntry.dispute)
            return Array(entries.sorted { ($0.day, $1.rank) > ($1.day, $0.rank) }.prefix(limit))
        }
    }

    /// The collector's worklist for `asOf`: the customers the caller sees that need something today,
    /// broken promises first, then promises due today, next actions due, then by amount overdue.
    public func worklist(asOf: Day) async throws -> [WorklistRow] {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let directory = try reader.customerDirectory()
            let aging = try Reports.aging(.init(asOf: asOf), reader: reader, principal: principal, directory: directory)
            var overdue: [Customer.ID: Money] = [:]
            for row in aging.rows { overdue[row.customer] = row.overdue }
            let oldest = try reader.oldestOverdue(asOf: asOf)
            let actions = try reader.nextActions()
            let profiles = try reader.collectionsProfiles()
            var disputes: [Customer.ID: Int] = [:]
            for dispute in try reader.disputes(status: .open) { disputes[dispute.customer, default: 0] += 1 }
            var reasons: [Customer.ID: Set<WorklistRow.Reason>] = [:]
            for promise in try reader.promisesDue(from: asOf.advanced(by: -30), to: asOf, asOf: asOf) {
                switch promise.promise.status(asOf: asOf) {
                case .broken: reasons[promise.customer, default: []].insert(.brokenPromise)
                case .pending where promise.due == asOf: reasons[promise.customer, default: []].insert(.promiseDueToday)
                default: break
                }
            }
            for (customer, action) in actions where action.day <= asOf { reasons[customer, default: []].insert(.nextActionDue) }
            for customer in disputes.keys { reasons[customer, default: []].insert(.openDispute) }
            for (customer, amount) in overdue where amount.isPositive { reasons[customer, default: []].insert(.overdue) }
            var rows: [WorklistRow] = []
            for (customer, why) in reasons {
                guard let summary = directory[customer], principal.sees(summary) else { continue }
                rows.append(WorklistRow(code: summary.code, name: summary.name, currency: summary.currency, overdue: overdue[customer] ?? .zero(summary.currency),
                                        daysOverdue: oldest[customer].map { $0.distance(to: asOf) } ?? 0,
                                        reasons: WorklistRow.Reason.allCases.filter(why.contains), nextAction: actions[customer],
                                        openDisputes: disputes[customer] ?? 0, onHold: profiles[customer]?.onHoldSince != nil))
            }
            func tier(_ row: WorklistRow) -> Int {
                row.reasons.contains(.brokenPromise) ? 0 : row.reasons.contains(.promiseDueToday) ? 1 : row.reasons.contains(.nextActionDue) ? 2 : 3
            }
            rows.sort { (tier($0), -$0.overdue.minorUnits, $0.code) < (tier($1), -$1.overdue.minorUnits, $1.code) }
            return Array(rows.prefix(Self.worklistMax))
        }
    }
}
