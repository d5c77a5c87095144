import Bookkeeping
import Receivables

/// Dunning, promises, disputes, activities and the outbox: the writes.
extension SQLBookTransaction {
    /// The due messages, each leased until `leaseUntil` so that no other sender takes it meanwhile. On
    /// an engine with several writers, two senders at once skip each other's messages (`SKIP LOCKED`).
    public func claimOutboxMessages(now: String, leaseUntil: String, limit: Int) throws -> [StoredOutboxMessage] {
        let skipLocked: SQL = sql.dialect.locksRows ? " FOR UPDATE SKIP LOCKED" : ""
        return try sql.rows("""
            UPDATE outbox SET next_attempt_at = \(leaseUntil) WHERE id IN (
                SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(now)
                ORDER BY next_attempt_at, id LIMIT \(limit)\(skipLocked))
            RETURNING \(Self.outboxColumns)
            """, Self.outbox).sorted { $0.id < $1.id }
    }

    public func recordOutboxAttempt(_ id: StoredOutboxMessage.ID, at: String, error: String?, nextAttemptAt: String?) throws {
        let status = error == nil ? "sent" : nextAttemptAt == nil ? "failed" : "pending"
        try sql.execute("""
            UPDATE outbox SET status = \(status), attempts = attempts + 1, last_error = \(error), next_attempt_at = \(nextAttemptAt),
                              sent_at = COALESCE(\(status == "sent" ? at : nil as String?), sent_at)
            WHERE id = \(id) AND status = 'pending'
            """)
    }

    public func requeueOutboxMessage(_ id: StoredOutboxMessage.ID, at: String) throws {
        guard try sql.execute("UPDATE outbox SET status = 'pending', next_attempt_at = \(at), last_error = NULL WHERE id = \(id)") == 1 else {
            throw StorageError(code: .constraint, message: "no outbox message \(id)")
        }
    }

    public func insertOutbox(_ message: OutboxMessage, at: String) throws -> StoredOutboxMessage.ID {
        try sql.insert("""
            INSERT INTO outbox (notice_id, customer_id, channel, language, recipient, subject, body, next_attempt_at, created_at)
            VALUES (\(message.notice), \(message.customer), \(message.channel.rawValue), \(message.language), \(message.recipient),
                    \(message.subject), \(message.body), \(at), \(at))
            """)
    }

    public func insertActivity(customer: Customer.ID, invoice: Invoice.ID?, kind: ActivityKind, day: Day, outcome: String, nextActionDay: Day?,
                               nextAction: String, actor: String, at: String) throws -> ActivityRecord.ID {
        try sql.insert("""
            INSERT INTO activity (customer_id, invoice_id, kind, day, outcome, next_action_day, next_action, actor, created_at)
            VALUES (\(customer), \(invoice), \(kind.rawValue), \(day), \(outcome), \(nextActionDay), \(nextAction), \(actor), \(at))
            """)
    }

    /// A day already run is `.duplicate`.
    public func insertDunningRun(day: Day, at: String) throws {
        try sql.insertOnce("INSERT INTO dunning_run (day, started_at) VALUES (\(day), \(at)) ON CONFLICT DO NOTHING")
    }

    public func insertNotice(_ notice: NoticeRecord, lines: [DunningNotice.Line]) throws -> NoticeRecord.ID {
        let id: NoticeRecord.ID = try sql.insert("""
            INSERT INTO dunning_notice (customer_id, day, level, level_name, policy, chased, fee, interest, fee_invoice_id)
            VALUES (\(notice.customer), \(notice.day), \(notice.level), \(notice.levelName), \(notice.policy), \(notice.chased.minorUnits),
                    \(notice.fee.minorUnits), \(notice.interest.minorUnits), \(notice.feeInvoice))
            """)
        let items = lines.map { line -> SQL in "(\(id), \(line.item), \(line.level), \(line.chased.minorUnits), \(line.interest.minorUnits))" }
        if !items.isEmpty {
            try sql.execute("""
                INSERT INTO dunning_notice_item (notice_id, open_item_id, level, chased, interest) VALUES \(SQL.joined(items, separator: ", "))
                """)
        }
        return id
    }

    public func setCreditHold(customer: Customer.ID, since: Day?) throws {
        try sql.execute("UPDATE customer SET credit_hold_day = \(since) WHERE id = \(customer)")
    }

    public func setLegal(customer: Customer.ID, since: Day) throws {
        try sql.execute("UPDATE customer SET legal_day = COALESCE(legal_day, \(since)) WHERE id = \(customer)")
    }

    public func setDunningExempt(customer: Customer.ID, exempt: Bool) throws {
        try sql.execute("UPDATE customer SET dunning_exempt = \(exempt) WHERE id = \(customer)")
    }

    public func markPromiseEscalated(_ id: PromiseToPay.ID, on day: Day) throws {
        try sql.execute("UPDATE promise SET escalated_day = \(day) WHERE id = \(id) AND escalated_day IS NULL")
    }

    public func insertPromise(customer: Customer.ID, invoice: Invoice.ID?, amount: Money, made: Day, due: Day, recordedBy: String,
                              note: String, at: String) throws -> PromiseToPay.ID {
        try sql.insert("""
            INSERT INTO promise (customer_id, invoice_id, amount, made_day, due_day, recorded_by, note, created_at)
            VALUES (\(customer), \(invoice), \(amount.minorUnits), \(made), \(due), \(recordedBy), \(note), \(at))
            """)
    }

    public func insertDispute(customer: Customer.ID, invoice: Invoice.ID, amount: Money, reason: String, opened: Day, owner: String,
                              at: String) throws -> DisputeRecord.ID {
        try sql.insert("""
            INSERT INTO dispute (customer_id, invoice_id, amount, reason, opened_day, owner, status, created_at)
            VALUES (\(customer), \(invoice), \(amount.minorUnits), \(reason), \(opened), \(owner), 'open', \(at))
            """)
    }

    public func closeDispute(_ id: DisputeRecord.ID, status: DisputeStatus, day: Day, resolution: String, creditNote: Credit.ID?) throws {
        guard try sql.execute("""
            UPDATE dispute SET status = \(status.rawValue), closed_day = \(day), resolution = \(resolution), credit_note_id = \(creditNote)
            WHERE id = \(id) AND status = 'open'
            """) == 1 else {
            throw StorageError(code: .constraint, message: "dispute \(id) is not open")
        }
    }

    public func assignDunningPolicy(customer: Customer.ID, policy: String?) throws {
        try sql.execute("UPDATE customer SET dunning_policy = \(policy) WHERE id = \(customer)")
    }

    public func setCustomerLanguage(customer: Customer.ID, language: String) throws {
        try sql.execute("UPDATE customer SET language = \(language) WHERE id = \(customer)")
    }

    public func saveDunningPolicy(name: String, definition: String, at: String) throws {
        try sql.execute("""
            INSERT INTO dunning_policy (name, definition, updated_at) VALUES (\(name), \(definition), \(at))
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
            """)
    }

    public func assignDunningPolicy(category: String, policy: String?) throws {
        if let policy {
            try sql.execute("""
                INSERT INTO dunning_policy_category (category, policy) VALUES (\(category), \(policy))
                ON CONFLICT (category) DO UPDATE SET policy = excluded.policy
                """)
        } else {
            try sql.execute("DELETE FROM dunning_policy_category WHERE category = \(category)")
        }
    }
}
