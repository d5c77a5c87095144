import Bookkeeping
import GRDB
import GRDBSQLite
import Receivables

extension SQLiteTransaction: CollectionsQueries, CollectionsWrites {
    func dunningItems(asOf: Day, dueBy: Day) throws -> [DunningItemRecord] {
        // What dunning did to each item, the open disputes and the late fees (every one charged by a
        // notice) are read once each: looking them up per item costs seeks on every open item of the book.
        var sent: [Int64: (level: Int, interest: Int64)] = [:]
        try scan("SELECT open_item_id, MAX(level), SUM(interest) FROM dunning_notice_item GROUP BY open_item_id") { row in
            sent[sqlite3_column_int64(row, 0)] = (Int(sqlite3_column_int(row, 1)), sqlite3_column_int64(row, 2))
        }
        var disputes: [Int64: Int64] = [:]
        try scan("SELECT invoice_id, SUM(amount) FROM dispute WHERE status = 'open' GROUP BY invoice_id") { row in
            disputes[sqlite3_column_int64(row, 0)] = sqlite3_column_int64(row, 1)
        }
        var fees: Set<Int64> = []
        try scan("SELECT fee_invoice_id FROM dunning_notice WHERE fee_invoice_id IS NOT NULL") { fees.insert(sqlite3_column_int64($0, 0)) }
        var raw: [(record: DunningItemRecord, invoiceID: Int64, disputes: Int64)] = []
        try scan("""
            SELECT o.id, o.customer_id, i.number, o.issue_day, o.due_day, o.amount, o.amount_open, o.invoice_id
            FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.amount_open > 0 AND o.issue_day <= ? AND o.due_day <= ?
            """, asOf.ordinal, dueBy.ordinal) { row in
            let item = sqlite3_column_int64(row, 0), invoiceID = sqlite3_column_int64(row, 7)
            let done = sent[item]
            let record = DunningItemRecord(
                item: item, customer: Customer.ID(sqlite3_column_int64(row, 1)),
                invoice: DocumentNumber(String(cString: sqlite3_column_text(row, 2))), issue: Day(ordinal: sqlite3_column_int(row, 3)),
                due: Day(ordinal: sqlite3_column_int(row, 4)), amount: sqlite3_column_int64(row, 5), open: sqlite3_column_int64(row, 6),
                isFee: fees.contains(invoiceID), levelSent: done?.level ?? 0, interestCharged: done?.interest ?? 0, disputed: 0)
            raw.append((record, invoiceID, disputes[invoiceID] ?? 0))
        }
        let disputed = DunningItemRecord.disputed(raw.map { ($0.record, $0.invoiceID, $0.disputes) })
        return raw.enumerated().map { index, entry in entry.record.with(disputed: disputed[index]) }
    }

    func itemAllocations(_ items: [Int64]) throws -> [Int64: [(day: Day, amount: Int64)]] {
        var result: [Int64: [(day: Day, amount: Int64)]] = [:]
        // Many items: one pass over the allocations beats a seek into the table for each of theirs.
        if items.count > 20_000 {
            let wanted = Set(items)
            try scan("SELECT open_item_id, day, amount FROM allocation WHERE kind = 'allocation' AND reversed_by IS NULL") { row in
                let item = sqlite3_column_int64(row, 0)
                guard wanted.contains(item) else { return }
                result[item, default: []].append((Day(ordinal: sqlite3_column_int(row, 1)), sqlite3_column_int64(row, 2)))
            }
            // In the order of the table (written in time order, mostly); by day for each item.
            for (item, list) in result where zip(list, list.dropFirst()).contains(where: { $0.day > $1.day }) {
                result[item] = list.sorted { $0.day < $1.day }
            }
            return result
        }
        for chunk in stride(from: 0, to: items.count, by: 500).map({ Array(items[$0..<min($0 + 500, items.count)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            try each("""
                SELECT open_item_id, day, amount FROM allocation
                WHERE open_item_id IN (\(marks)) AND kind = 'allocation' AND reversed_by IS NULL ORDER BY day, id
                """, StatementArguments(chunk)) { row in
                result[row[0], default: []].append((Day(ordinal: row[1]), row[2]))
            }
        }
        return result
    }

    func collectionsProfiles() throws -> [Customer.ID: CollectionsProfile] {
        var profiles: [Customer.ID: CollectionsProfile] = [:]
        try each("SELECT id, category, dunning_exempt, language, email, credit_hold_day, dunning_policy FROM customer") { row in
            let id = Customer.ID(row[0])
            profiles[id] = CollectionsProfile(customer: id, category: row[1], exempt: row[2], language: row[3], email: row[4],
                                              onHoldSince: (row[5] as Int32?).map(Day.init(ordinal:)), policy: row[6])
        }
        return profiles
    }

    /// Promises matching `condition` (over `p`), each with the receipts since it was made through `asOf`.
    private func promises(where condition: String, _ arguments: [any DatabaseValueConvertible], asOf: Day) throws -> [PromiseRecord] {
        try rows("""
            SELECT p.id, p.customer_id, i.number, p.amount, p.made_day, p.due_day, p.recorded_by, p.note, p.escalated_day,
                   (SELECT COALESCE(SUM(c.amount), 0) FROM credit c WHERE c.customer_id = p.customer_id AND c.kind = 'receipt'
                    AND c.reversed_day IS NULL AND c.day BETWEEN p.made_day AND ?)
            FROM promise p LEFT JOIN invoice i ON i.id = p.invoice_id
            WHERE \(condition) ORDER BY p.id
            """, StatementArguments([asOf.ordinal] + arguments)).map { row in
            PromiseRecord(id: row[0], customer: Customer.ID(row[1]), invoice: (row[2] as String?).map(DocumentNumber.init),
                          amount: row[3], made: Day(ordinal: row[4]), due: Day(ordinal: row[5]), recordedBy: row[6], note: row[7],
                          escalatedOn: (row[8] as Int32?).map(Day.init(ordinal:)), paid: row[9])
        }
    }

    func promises(asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.escalated_day IS NULL AND p.made_day <= ?", [asOf.ordinal], asOf: asOf)
    }

    func promises(customer: Customer.ID, asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.customer_id = ?", [customer.rawValue], asOf: asOf)
    }

    func promisesDue(from: Day, to: Day, asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.due_day BETWEEN ? AND ?", [from.ordinal, to.ordinal], asOf: asOf)
    }

    func activities(customer: Customer.ID, limit: Int) throws -> [ActivityRecord] {
        try rows("""
            SELECT a.id, a.customer_id, i.number, a.kind, a.day, a.outcome, a.next_action_day, a.next_action, a.actor
            FROM activity a LEFT JOIN invoice i ON i.id = a.invoice_id WHERE a.customer_id = ? ORDER BY a.day DESC, a.id DESC LIMIT ?
            """, [customer.rawValue, limit]).map { row in
            guard let kind = ActivityKind(rawValue: row[3]) else {
                throw StorageError(code: .incompatible, message: "the book holds an unknown activity kind")
            }
            return ActivityRecord(id: row[0], customer: Customer.ID(row[1]), invoice: (row[2] as String?).map(DocumentNumber.init), kind: kind,
                                  day: Day(ordinal: row[4]), outcome: row[5], nextActionDay: (row[6] as Int32?).map(Day.init(ordinal:)),
                                  nextAction: row[7], actor: row[8])
        }
    }

    func nextActions() throws -> [Customer.ID: NextAction] {
        var actions: [Customer.ID: NextAction] = [:]
        // The latest activity of each customer that names a next action (the highest id wins on a day).
        try each("""
            SELECT a.customer_id, a.next_action_day, a.next_action FROM activity a
            WHERE a.next_action_day IS NOT NULL AND a.id = (SELECT MAX(b.id) FROM activity b
                                                            WHERE b.customer_id = a.customer_id AND b.next_action_day IS NOT NULL)
            """) { row in actions[Customer.ID(row[0])] = NextAction(day: Day(ordinal: row[1]), action: row[2]) }
        return actions
    }

    func oldestOverdue(asOf: Day) throws -> [Customer.ID: Day] {
        var oldest: [Customer.ID: Day] = [:]
        try scan("SELECT customer_id, MIN(due_day) FROM open_item WHERE amount_open > 0 AND due_day < ? AND issue_day <= ? GROUP BY customer_id",
                 asOf.ordinal, asOf.ordinal) { row in
            oldest[Customer.ID(sqlite3_column_int64(row, 0))] = Day(ordinal: sqlite3_column_int(row, 1))
        }
        return oldest
    }

    static let disputeColumns = """
        d.id, d.customer_id, i.number, d.amount, d.reason, d.opened_day, d.owner, d.status, d.closed_day, d.resolution, i.currency
        """

    static func dispute(_ row: Row) throws -> DisputeRecord {
        guard let status = DisputeStatus(rawValue: row[7]) else {
            throw StorageError(code: .incompatible, message: "the book holds an unknown dispute status")
        }
        return DisputeRecord(id: row[0], customer: Customer.ID(row[1]), invoice: DocumentNumber(row[2]),
                             amount: Money(minorUnits: row[3], currency: try currency(row[10])), reason: row[4],
                             opened: Day(ordinal: row[5]), owner: row[6], status: status,
                             closed: (row[8] as Int32?).map(Day.init(ordinal:)), resolution: row[9])
    }

    func disputes(status: DisputeStatus?) throws -> [DisputeRecord] {
        try rows("""
            SELECT \(Self.disputeColumns) FROM dispute d JOIN invoice i ON i.id = d.invoice_id
            WHERE ? IS NULL OR d.status = ? ORDER BY d.opened_day, d.id LIMIT 10000
            """, [status?.rawValue, status?.rawValue]).map(Self.dispute)
    }

    func disputes(customer: Customer.ID) throws -> [DisputeRecord] {
        try rows("""
            SELECT \(Self.disputeColumns) FROM dispute d JOIN invoice i ON i.id = d.invoice_id
            WHERE d.customer_id = ? ORDER BY d.opened_day, d.id
            """, [customer.rawValue]).map(Self.dispute)
    }

    func dispute(id: Int64) throws -> DisputeRecord? {
        try row("SELECT \(Self.disputeColumns) FROM dispute d JOIN invoice i ON i.id = d.invoice_id WHERE d.id = ?", [id]).map(Self.dispute)
    }

    func dunningPolicies() throws -> (definitions: [String: String], categories: [String: String]) {
        var definitions: [String: String] = [:], categories: [String: String] = [:]
        try each("SELECT name, definition FROM dunning_policy") { definitions[$0[0]] = $0[1] }
        try each("SELECT category, policy FROM dunning_policy_category") { categories[$0[0]] = $0[1] }
        return (definitions, categories)
    }

    func dunningRunExists(day: Day) throws -> Bool {
        try row("SELECT 1 FROM dunning_run WHERE day = ?", [day.ordinal]) != nil
    }

    func notices(customer: Customer.ID) throws -> [NoticeRecord] {
        try rows("""
            SELECT customer_id, day, level, level_name, policy, chased, fee, interest, fee_invoice_id
            FROM dunning_notice WHERE customer_id = ? ORDER BY day, level
            """, [customer.rawValue]).map { row in
            NoticeRecord(customer: Customer.ID(row[0]), day: Day(ordinal: row[1]), level: row[2], levelName: row[3], policy: row[4],
                         chased: row[5], fee: row[6], interest: row[7], feeInvoice: row[8])
        }
    }

    func isLateFee(invoice: Int64) throws -> Bool {
        try row("SELECT e.kind = 'late_fee' FROM invoice i JOIN journal_entry e ON e.id = i.entry_id WHERE i.id = ?", [invoice])?[0] ?? false
    }

    static let outboxColumns = """
        id, notice_id, customer_id, channel, language, recipient, subject, body, status, attempts, next_attempt_at, last_error,
        created_at, sent_at
        """

    static func outbox(_ row: Row) throws -> StoredOutboxMessage {
        guard let channel = DunningChannel(rawValue: row[3]), let status = OutboxStatus(rawValue: row[8]) else {
            throw StorageError(code: .incompatible, message: "the book holds an unknown outbox channel or status")
        }
        return StoredOutboxMessage(
            id: row[0], message: OutboxMessage(notice: row[1], customer: Customer.ID(row[2]), channel: channel, language: row[4],
                                               recipient: row[5], subject: row[6], body: row[7]),
            status: status, attempts: row[9], nextAttemptAt: row[10], lastError: row[11], createdAt: row[12], sentAt: row[13])
    }

    func outboxMessages(status: OutboxStatus?, limit: Int, before: Int64?) throws -> [StoredOutboxMessage] {
        try rows("""
            SELECT \(Self.outboxColumns) FROM outbox WHERE (? IS NULL OR status = ?) AND id < ? ORDER BY id DESC LIMIT ?
            """, [status?.rawValue, status?.rawValue, before ?? Int64.max, limit]).map(Self.outbox)
    }

    func outboxMessage(id: Int64) throws -> StoredOutboxMessage? {
        try row("SELECT \(Self.outboxColumns) FROM outbox WHERE id = ?", [id]).map(Self.outbox)
    }

    // MARK: writes

    func claimOutboxMessages(now: String, leaseUntil: String, limit: Int) throws -> [StoredOutboxMessage] {
        let due = try rows("""
            SELECT \(Self.outboxColumns) FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?
            ORDER BY next_attempt_at, id LIMIT ?
            """, [now, limit]).map(Self.outbox)
        for message in due { try run("UPDATE outbox SET next_attempt_at = ? WHERE id = ?", leaseUntil, message.id) }
        return due
    }

    /// One writer at a time already: jobs cannot overlap.
    func lock(job: String) throws {}

    func recordOutboxAttempt(_ id: Int64, at: String, error: String?, nextAttemptAt: String?) throws {
        let status = error == nil ? "sent" : nextAttemptAt == nil ? "failed" : "pending"
        try run("""
            UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                              sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
            WHERE id = ? AND status = 'pending'
            """, status, error, nextAttemptAt, status, at, id)
    }

    func insertActivity(customer: Customer.ID, invoice: Int64?, kind: ActivityKind, day: Day, outcome: String, nextActionDay: Day?,
                        nextAction: String, actor: String, at: String) throws -> Int64 {
        try insertRow("""
            INSERT INTO activity (customer_id, invoice_id, kind, day, outcome, next_action_day, next_action, actor, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, customer.rawValue, invoice, kind.rawValue, day.ordinal, outcome, nextActionDay?.ordinal, nextAction, actor, at)
    }

    func requeueOutboxMessage(_ id: Int64, at: String) throws {
        try run("UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = NULL WHERE id = ?", at, id)
        guard db.changesCount == 1 else { throw StorageError(code: .constraint, message: "no outbox message \(id)") }
    }

    func insertDunningRun(day: Day, at: String) throws {
        try run("INSERT INTO dunning_run (day, started_at) VALUES (?, ?)", day.ordinal, at)
    }

    func insertNotice(_ notice: NoticeRecord, lines: [DunningNotice.Line]) throws -> Int64 {
        let id = try insertRow("""
            INSERT INTO dunning_notice (customer_id, day, level, level_name, policy, chased, fee, interest, fee_invoice_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, notice.customer.rawValue, notice.day.ordinal, notice.level, notice.levelName, notice.policy, notice.chased,
                               notice.fee, notice.interest, notice.feeInvoice)
        for line in lines {
            try run("INSERT INTO dunning_notice_item (notice_id, open_item_id, level, chased, interest) VALUES (?, ?, ?, ?, ?)",
                    id, line.item, notice.level, line.chased, line.interest)
        }
        return id
    }

    func insertOutbox(_ message: OutboxMessage, at: String) throws -> Int64 {
        try insertRow("""
            INSERT INTO outbox (notice_id, customer_id, channel, language, recipient, subject, body, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, message.notice, message.customer.rawValue, message.channel.rawValue, message.language, message.recipient,
                      message.subject, message.body, at, at)
    }

    func setCreditHold(customer: Customer.ID, since: Day?) throws {
        try run("UPDATE customer SET credit_hold_day = ? WHERE id = ?", since?.ordinal, customer.rawValue)
    }

    func setLegal(customer: Customer.ID, since: Day) throws {
        try run("UPDATE customer SET legal_day = COALESCE(legal_day, ?) WHERE id = ?", since.ordinal, customer.rawValue)
    }

    func setDunningExempt(customer: Customer.ID, exempt: Bool) throws {
        try run("UPDATE customer SET dunning_exempt = ? WHERE id = ?", exempt ? 1 : 0, customer.rawValue)
    }

    func markPromiseEscalated(_ id: Int64, on day: Day) throws {
        try run("UPDATE promise SET escalated_day = ? WHERE id = ? AND escalated_day IS NULL", day.ordinal, id)
    }

    func insertPromise(customer: Customer.ID, invoice: Int64?, amount: Int64, made: Day, due: Day, recordedBy: String,
                       note: String, at: String) throws -> Int64 {
        try insertRow("""
            INSERT INTO promise (customer_id, invoice_id, amount, made_day, due_day, recorded_by, note, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, customer.rawValue, invoice, amount, made.ordinal, due.ordinal, recordedBy, note, at)
    }

    func insertDispute(customer: Customer.ID, invoice: Int64, amount: Int64, reason: String, opened: Day, owner: String,
                       at: String) throws -> Int64 {
        try insertRow("""
            INSERT INTO dispute (customer_id, invoice_id, amount, reason, opened_day, owner, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 'open', ?)
            """, customer.rawValue, invoice, amount, reason, opened.ordinal, owner, at)
    }

    func closeDispute(_ id: Int64, status: DisputeStatus, day: Day, resolution: String, creditNote: Int64?) throws {
        try run("""
            UPDATE dispute SET status = ?, closed_day = ?, resolution = ?, credit_note_id = ? WHERE id = ? AND status = 'open'
            """, status.rawValue, day.ordinal, resolution, creditNote, id)
        guard db.changesCount == 1 else { throw StorageError(code: .constraint, message: "dispute \(id) is not open") }
    }

    func assignDunningPolicy(customer: Customer.ID, policy: String?) throws {
        try run("UPDATE customer SET dunning_policy = ? WHERE id = ?", policy, customer.rawValue)
    }

    func setCustomerLanguage(customer: Customer.ID, language: String) throws {
        try run("UPDATE customer SET language = ? WHERE id = ?", language, customer.rawValue)
    }

    func saveDunningPolicy(name: String, definition: String, at: String) throws {
        try run("""
            INSERT INTO dunning_policy (name, definition, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """, name, definition, at)
    }

    func assignDunningPolicy(category: String, policy: String?) throws {
        if let policy {
            try run("INSERT INTO dunning_policy_category (category, policy) VALUES (?, ?) ON CONFLICT (category) DO UPDATE SET policy = excluded.policy",
                    category, policy)
        } else {
            try run("DELETE FROM dunning_policy_category WHERE category = ?", category)
        }
    }
}
