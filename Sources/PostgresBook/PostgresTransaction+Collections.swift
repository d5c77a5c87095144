import Bookkeeping
import Receivables

extension PostgresTransaction: CollectionsQueries, CollectionsWrites {
    func dunningItems(asOf: Day, dueBy: Day) throws -> [DunningItemRecord] {
        var raw: [(record: DunningItemRecord, invoiceID: Int64, disputes: Int64)] = []
        // What dunning did to each item, the open disputes of its invoice and whether it is a late fee,
        // joined by PostgreSQL in one pass.
        try session.each("""
            SELECT o.id, o.customer_id, i.number, o.issue_day, o.due_day, o.amount, o.amount_open, o.invoice_id,
                   COALESCE(s.level, 0), COALESCE(s.interest, 0)::bigint, COALESCE(d.amount, 0)::bigint,
                   EXISTS (SELECT 1 FROM dunning_notice n WHERE n.fee_invoice_id = o.invoice_id)
            FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            LEFT JOIN (SELECT open_item_id, MAX(level) AS level, SUM(interest) AS interest FROM dunning_notice_item GROUP BY open_item_id) s
                ON s.open_item_id = o.id
            LEFT JOIN (SELECT invoice_id, SUM(amount) AS amount FROM dispute WHERE status = 'open' GROUP BY invoice_id) d
                ON d.invoice_id = o.invoice_id
            WHERE o.amount_open > 0 AND o.issue_day <= $1 AND o.due_day <= $2
            """, [asOf.ordinal, dueBy.ordinal]) { row in
            let record = DunningItemRecord(
                item: try row[0], customer: Customer.ID(try row[1]), invoice: DocumentNumber(try row[2]), issue: Day(ordinal: try row[3]),
                due: Day(ordinal: try row[4]), amount: try row[5], open: try row[6], isFee: try row[11], levelSent: try row[8],
                interestCharged: try row[9], disputed: 0)
            raw.append((record, try row[7], try row[10]))
        }
        let disputed = DunningItemRecord.disputed(raw.map { ($0.record, $0.invoiceID, $0.disputes) })
        return raw.enumerated().map { index, entry in entry.record.with(disputed: disputed[index]) }
    }

    func itemAllocations(_ items: [Int64]) throws -> [Int64: [(day: Day, amount: Int64)]] {
        var result: [Int64: [(day: Day, amount: Int64)]] = [:]
        for chunk in stride(from: 0, to: items.count, by: 10_000).map({ Array(items[$0..<min($0 + 10_000, items.count)]) }) {
            try session.each("""
                SELECT open_item_id, day, amount FROM allocation
                WHERE open_item_id = ANY($1) AND kind = 'allocation' AND reversed_by IS NULL ORDER BY open_item_id, day, id
                """, [PostgresIDs(chunk)]) { row in
                result[try row[0], default: []].append((Day(ordinal: try row[1]), try row[2]))
            }
        }
        return result
    }

    func collectionsProfiles() throws -> [Customer.ID: CollectionsProfile] {
        var profiles: [Customer.ID: CollectionsProfile] = [:]
        try session.each("SELECT id, category, dunning_exempt, language, email, credit_hold_day, dunning_policy FROM customer") { row in
            let id = Customer.ID(try row[0])
            let hold: Int32? = try row[5]
            profiles[id] = CollectionsProfile(customer: id, category: try row[1], exempt: try row[2], language: try row[3], email: try row[4],
                                              onHoldSince: hold.map(Day.init(ordinal:)), policy: try row[6])
        }
        return profiles
    }

    /// Promises matching `condition` (over `p`, parameters from $2), each with the receipts since it was
    /// made through `asOf`.
    private func promises(where condition: String, _ values: [any PostgresValue], asOf: Day) throws -> [PromiseRecord] {
        try session.rows("""
            SELECT p.id, p.customer_id, i.number, p.amount, p.made_day, p.due_day, p.recorded_by, p.note, p.escalated_day,
                   (SELECT COALESCE(SUM(c.amount), 0)::bigint FROM credit c WHERE c.customer_id = p.customer_id AND c.kind = 'receipt'
                    AND c.reversed_day IS NULL AND c.day BETWEEN p.made_day AND $1)
            FROM promise p LEFT JOIN invoice i ON i.id = p.invoice_id
            WHERE \(condition) ORDER BY p.id
            """, arguments: [asOf.ordinal] + values).map { row in
            let invoice: String? = try row[2], escalated: Int32? = try row[8]
            return PromiseRecord(id: try row[0], customer: Customer.ID(try row[1]), invoice: invoice.map(DocumentNumber.init),
                                 amount: try row[3], made: Day(ordinal: try row[4]), due: Day(ordinal: try row[5]), recordedBy: try row[6],
                                 note: try row[7], escalatedOn: escalated.map(Day.init(ordinal:)), paid: try row[9])
        }
    }

    func promises(asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.escalated_day IS NULL AND p.made_day <= $2", [asOf.ordinal], asOf: asOf)
    }

    func promises(customer: Customer.ID, asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.customer_id = $2", [customer.rawValue], asOf: asOf)
    }

    func promisesDue(from: Day, to: Day, asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.due_day BETWEEN $2 AND $3", [from.ordinal, to.ordinal], asOf: asOf)
    }

    func activities(customer: Customer.ID, limit: Int) throws -> [ActivityRecord] {
        try session.rows("""
            SELECT a.id, a.customer_id, i.number, a.kind, a.day, a.outcome, a.next_action_day, a.next_action, a.actor
            FROM activity a LEFT JOIN invoice i ON i.id = a.invoice_id WHERE a.customer_id = $1 ORDER BY a.day DESC, a.id DESC LIMIT $2
            """, customer.rawValue, limit).map { row in
            guard let kind = ActivityKind(rawValue: try row[3]) else {
                throw StorageError(code: .incompatible, message: "the book holds an unknown activity kind")
            }
            let invoice: String? = try row[2], next: Int32? = try row[6]
            return ActivityRecord(id: try row[0], customer: Customer.ID(try row[1]), invoice: invoice.map(DocumentNumber.init), kind: kind,
                                  day: Day(ordinal: try row[4]), outcome: try row[5], nextActionDay: next.map(Day.init(ordinal:)),
                                  nextAction: try row[7], actor: try row[8])
        }
    }

    func nextActions() throws -> [Customer.ID: NextAction] {
        var actions: [Customer.ID: NextAction] = [:]
        for row in try session.rows("""
            SELECT DISTINCT ON (customer_id) customer_id, next_action_day, next_action FROM activity
            WHERE next_action_day IS NOT NULL ORDER BY customer_id, id DESC
            """) {
            actions[Customer.ID(try row[0])] = NextAction(day: Day(ordinal: try row[1]), action: try row[2])
        }
        return actions
    }

    func oldestOverdue(asOf: Day) throws -> [Customer.ID: Day] {
        var oldest: [Customer.ID: Day] = [:]
        try session.each("""
            SELECT customer_id, MIN(due_day) FROM open_item WHERE amount_open > 0 AND due_day < $1 AND issue_day <= $1 GROUP BY customer_id
            """, [asOf.ordinal]) { row in
            oldest[Customer.ID(try row[0])] = Day(ordinal: try row[1])
        }
        return oldest
    }

    static let disputeColumns = """
        d.id, d.customer_id, i.number, d.amount, d.reason, d.opened_day, d.owner, d.status, d.closed_day, d.resolution, i.currency
        """

    static func dispute(_ row: PostgresRowReader) throws -> DisputeRecord {
        guard let status = DisputeStatus(rawValue: try row[7]) else {
            throw StorageError(code: .incompatible, message: "the book holds an unknown dispute status")
        }
        let closed: Int32? = try row[8]
        return DisputeRecord(id: try row[0], customer: Customer.ID(try row[1]), invoice: DocumentNumber(try row[2]),
                             amount: Money(minorUnits: try row[3], currency: try currency(row[10])), reason: try row[4],
                             opened: Day(ordinal: try row[5]), owner: try row[6], status: status,
                             closed: closed.map(Day.init(ordinal:)), resolution: try row[9])
    }

    func disputes(status: DisputeStatus?) throws -> [DisputeRecord] {
        let select = "SELECT \(Self.disputeColumns) FROM dispute d JOIN invoice i ON i.id = d.invoice_id"
        if let status {
            return try session.rows("\(select) WHERE d.status = $1 ORDER BY d.opened_day, d.id LIMIT 10000", status.rawValue).map(Self.dispute)
        }
        return try session.rows("\(select) ORDER BY d.opened_day, d.id LIMIT 10000").map(Self.dispute)
    }

    func disputes(customer: Customer.ID) throws -> [DisputeRecord] {
        try session.rows("""
            SELECT \(Self.disputeColumns) FROM dispute d JOIN invoice i ON i.id = d.invoice_id
            WHERE d.customer_id = $1 ORDER BY d.opened_day, d.id
            """, customer.rawValue).map(Self.dispute)
    }

    func dispute(id: Int64) throws -> DisputeRecord? {
        try session.row("SELECT \(Self.disputeColumns) FROM dispute d JOIN invoice i ON i.id = d.invoice_id WHERE d.id = $1\(forUpdate.of("d"))", id)
            .map(Self.dispute)
    }

    func dunningPolicies() throws -> (definitions: [String: String], categories: [String: String]) {
        var definitions: [String: String] = [:], categories: [String: String] = [:]
        for row in try session.rows("SELECT name, definition FROM dunning_policy") { definitions[try row[0]] = try row[1] }
        for row in try session.rows("SELECT category, policy FROM dunning_policy_category") { categories[try row[0]] = try row[1] }
        return (definitions, categories)
    }

    func dunningRunExists(day: Day) throws -> Bool {
        try session.row("SELECT 1 FROM dunning_run WHERE day = $1", day.ordinal) != nil
    }

    func notices(customer: Customer.ID) throws -> [NoticeRecord] {
        try session.rows("""
            SELECT customer_id, day, level, level_name, policy, chased, fee, interest, fee_invoice_id
            FROM dunning_notice WHERE customer_id = $1 ORDER BY day, level
            """, customer.rawValue).map { row in
            NoticeRecord(customer: Customer.ID(try row[0]), day: Day(ordinal: try row[1]), level: try row[2], levelName: try row[3],
                         policy: try row[4], chased: try row[5], fee: try row[6], interest: try row[7], feeInvoice: try row[8])
        }
    }

    func isLateFee(invoice: Int64) throws -> Bool {
        try session.row("SELECT e.kind = 'late_fee' FROM invoice i JOIN journal_entry e ON e.id = i.entry_id WHERE i.id = $1", invoice)?[0]
            ?? false
    }

    static let outboxColumns = """
        id, notice_id, customer_id, channel, language, recipient, subject, body, status, attempts, next_attempt_at, last_error,
        created_at, sent_at
        """

    static func outbox(_ row: PostgresRowReader) throws -> StoredOutboxMessage {
        guard let channel = DunningChannel(rawValue: try row[3]), let status = OutboxStatus(rawValue: try row[8]) else {
            throw StorageError(code: .incompatible, message: "the book holds an unknown outbox channel or status")
        }
        return StoredOutboxMessage(
            id: try row[0], message: OutboxMessage(notice: try row[1], customer: Customer.ID(try row[2]), channel: channel, language: try row[4],
                                                   recipient: try row[5], subject: try row[6], body: try row[7]),
            status: status, attempts: try row[9], nextAttemptAt: try row[10], lastError: try row[11], createdAt: try row[12], sentAt: try row[13])
    }

    func claimOutboxMessages(now: String, leaseUntil: String, limit: Int) throws -> [StoredOutboxMessage] {
        // SKIP LOCKED: two servers sending at once take different messages; the lease keeps a message
        // from being taken again while it is being sent, and gives it back if its sender dies.
        try session.rows("""
            UPDATE outbox SET next_attempt_at = $2 WHERE id IN (
                SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
                ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING \(Self.outboxColumns)
            """, now, leaseUntil, limit).map(Self.outbox).sorted { $0.id < $1.id }
    }

    func outboxMessages(status: OutboxStatus?, limit: Int, before: Int64?) throws -> [StoredOutboxMessage] {
        if let status {
            return try session.rows("SELECT \(Self.outboxColumns) FROM outbox WHERE status = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
                                    status.rawValue, before ?? Int64.max, limit).map(Self.outbox)
        }
        return try session.rows("SELECT \(Self.outboxColumns) FROM outbox WHERE id < $1 ORDER BY id DESC LIMIT $2",
                                before ?? Int64.max, limit).map(Self.outbox)
    }

    func outboxMessage(id: Int64) throws -> StoredOutboxMessage? {
        try session.row("SELECT \(Self.outboxColumns) FROM outbox WHERE id = $1", id).map(Self.outbox)
    }

    // MARK: writes

    func lock(job: String) throws {
        try session.execute("SELECT pg_advisory_xact_lock(hashtext($1))", "arbook.\(job)")
    }

    func recordOutboxAttempt(_ id: Int64, at: String, error: String?, nextAttemptAt: String?) throws {
        let status = error == nil ? "sent" : nextAttemptAt == nil ? "failed" : "pending"
        try session.execute("""
            UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2, next_attempt_at = $3,
                              sent_at = CASE WHEN $1 = 'sent' THEN $4 ELSE sent_at END
            WHERE id = $5 AND status = 'pending'
            """, status, error, nextAttemptAt, at, id)
    }

    func insertActivity(customer: Customer.ID, invoice: Int64?, kind: ActivityKind, day: Day, outcome: String, nextActionDay: Day?,
                        nextAction: String, actor: String, at: String) throws -> Int64 {
        try session.insert("""
            INSERT INTO activity (customer_id, invoice_id, kind, day, outcome, next_action_day, next_action, actor, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """, customer.rawValue, invoice, kind.rawValue, day.ordinal, outcome, nextActionDay?.ordinal, nextAction, actor, at)
    }

    func requeueOutboxMessage(_ id: Int64, at: String) throws {
        guard try session.execute("UPDATE outbox SET status = 'pending', next_attempt_at = $1, last_error = NULL WHERE id = $2", at, id) == 1 else {
            throw StorageError(code: .constraint, message: "no outbox message \(id)")
        }
    }

    func insertDunningRun(day: Day, at: String) throws {
        _ = try session.insert("INSERT INTO dunning_run (day, started_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 0::bigint",
                                     day.ordinal, at)
    }

    func insertNotice(_ notice: NoticeRecord, lines: [DunningNotice.Line]) throws -> Int64 {
        let id = try session.insert("""
            INSERT INTO dunning_notice (customer_id, day, level, level_name, policy, chased, fee, interest, fee_invoice_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """, notice.customer.rawValue, notice.day.ordinal, notice.level, notice.levelName, notice.policy, notice.chased,
            notice.fee, notice.interest, notice.feeInvoice)
        try insertRows("dunning_notice_item", columns: ["notice_id", "open_item_id", "level", "chased", "interest"],
                       lines.map { [id, $0.item, notice.level, $0.chased, $0.interest] })
        return id
    }

    func insertOutbox(_ message: OutboxMessage, at: String) throws -> Int64 {
        try session.insert("""
            INSERT INTO outbox (notice_id, customer_id, channel, language, recipient, subject, body, next_attempt_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id
            """, message.notice, message.customer.rawValue, message.channel.rawValue, message.language, message.recipient,
            message.subject, message.body, at)
    }

    func setCreditHold(customer: Customer.ID, since: Day?) throws {
        try session.execute("UPDATE customer SET credit_hold_day = $1 WHERE id = $2", since?.ordinal, customer.rawValue)
    }

    func setLegal(customer: Customer.ID, since: Day) throws {
        try session.execute("UPDATE customer SET legal_day = COALESCE(legal_day, $1) WHERE id = $2", since.ordinal, customer.rawValue)
    }

    func setDunningExempt(customer: Customer.ID, exempt: Bool) throws {
        try session.execute("UPDATE customer SET dunning_exempt = $1 WHERE id = $2", exempt ? 1 : 0, customer.rawValue)
    }

    func markPromiseEscalated(_ id: Int64, on day: Day) throws {
        try session.execute("UPDATE promise SET escalated_day = $1 WHERE id = $2 AND escalated_day IS NULL", day.ordinal, id)
    }

    func insertPromise(customer: Customer.ID, invoice: Int64?, amount: Int64, made: Day, due: Day, recordedBy: String,
                       note: String, at: String) throws -> Int64 {
        try session.insert("""
            INSERT INTO promise (customer_id, invoice_id, amount, made_day, due_day, recorded_by, note, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """, customer.rawValue, invoice, amount, made.ordinal, due.ordinal, recordedBy, note, at)
    }

    func insertDispute(customer: Customer.ID, invoice: Int64, amount: Int64, reason: String, opened: Day, owner: String,
                       at: String) throws -> Int64 {
        try session.insert("""
            INSERT INTO dispute (customer_id, invoice_id, amount, reason, opened_day, owner, status, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id
            """, customer.rawValue, invoice, amount, reason, opened.ordinal, owner, at)
    }

    func closeDispute(_ id: Int64, status: DisputeStatus, day: Day, resolution: String, creditNote: Int64?) throws {
        guard try session.execute("""
            UPDATE dispute SET status = $1, closed_day = $2, resolution = $3, credit_note_id = $4 WHERE id = $5 AND status = 'open'
            """, status.rawValue, day.ordinal, resolution, creditNote, id) == 1 else {
            throw StorageError(code: .constraint, message: "dispute \(id) is not open")
        }
    }

    func assignDunningPolicy(customer: Customer.ID, policy: String?) throws {
        try session.execute("UPDATE customer SET dunning_policy = $1 WHERE id = $2", policy, customer.rawValue)
    }

    func setCustomerLanguage(customer: Customer.ID, language: String) throws {
        try session.execute("UPDATE customer SET language = $1 WHERE id = $2", language, customer.rawValue)
    }

    func saveDunningPolicy(name: String, definition: String, at: String) throws {
        try session.execute("""
            INSERT INTO dunning_policy (name, definition, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """, name, definition, at)
    }

    func assignDunningPolicy(category: String, policy: String?) throws {
        if let policy {
            try session.execute("""
                INSERT INTO dunning_policy_category (category, policy) VALUES ($1, $2) ON CONFLICT (category) DO UPDATE SET policy = excluded.policy
                """, category, policy)
        } else {
            try session.execute("DELETE FROM dunning_policy_category WHERE category = $1", category)
        }
    }
}
