import Bookkeeping
import Receivables

/// Dunning, promises, disputes, activities and the outbox: the reads.
extension SQLBookTransaction {
    public func dunningItems(asOf: Day, dueBy: Day) throws -> [DunningItemRecord] {
        // What dunning did to each item, the open disputes and the late fees (every one charged by a
        // notice) are read once each: looking them up per item costs seeks on every open item of the book.
        var sent: [Int64: (level: Int, interest: Int64)] = [:]
        try sql.stream("SELECT open_item_id, MAX(level), CAST(SUM(interest) AS BIGINT) FROM dunning_notice_item GROUP BY open_item_id") { row in
            sent[try row.int64(0)] = (Int(try row.int64(1)), try row.int64(2))
        }
        var disputes: [Int64: Int64] = [:]
        try sql.stream("SELECT invoice_id, CAST(SUM(amount) AS BIGINT) FROM dispute WHERE status = 'open' GROUP BY invoice_id") { row in
            disputes[try row.int64(0)] = try row.int64(1)
        }
        var fees: Set<Int64> = []
        try sql.stream("SELECT fee_invoice_id FROM dunning_notice WHERE fee_invoice_id IS NOT NULL") { fees.insert(try $0.int64(0)) }
        var raw: [(record: DunningItemRecord, invoice: Invoice.ID, disputes: Money)] = []
        var parser = StoredTextParser()
        try sql.stream("""
            SELECT o.id, o.customer_id, i.number, o.issue_day, o.due_day, o.amount, o.amount_open, o.invoice_id, i.currency
            FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.amount_open > 0 AND o.issue_day <= \(asOf) AND o.due_day <= \(dueBy)
            """) { row in
            let item = try row.int64(0), invoiceID = try row.int64(7)
            let currency = try parser.currency(try row.text(8) ?? "")
            let money = { (minorUnits: Int64) in Money(minorUnits: minorUnits, currency: currency) }
            let done = sent[item]
            let record = DunningItemRecord(
                item: OpenItem.ID(item), customer: Customer.ID(try row.int64(1)), invoice: DocumentNumber(try row.text(2) ?? ""),
                issue: try row.day(3), due: try row.day(4), amount: money(try row.int64(5)), open: money(try row.int64(6)),
                isFee: fees.contains(invoiceID), levelSent: done?.level ?? 0, interestCharged: money(done?.interest ?? 0),
                disputed: money(0))
            raw.append((record, Invoice.ID(invoiceID), money(disputes[invoiceID] ?? 0)))
        }
        let disputed = DunningItemRecord.disputed(raw)
        return raw.enumerated().map { index, entry in entry.record.with(disputed: disputed[index]) }
    }

    public func itemAllocations(_ items: [DunningItemRecord]) throws -> [OpenItem.ID: [(day: Day, amount: Money)]] {
        var result: [OpenItem.ID: [(day: Day, amount: Money)]] = [:]
        let currencies = Dictionary(items.map { ($0.item, $0.amount.currency) }, uniquingKeysWith: { first, _ in first })
        // Many items: one pass over the allocations beats a seek into the table for each of theirs.
        if items.count > 20_000 {
            try sql.stream("SELECT open_item_id, day, amount FROM allocation WHERE kind = 'allocation' AND reversed_by IS NULL") { row in
                guard let item = try row.integer(0).map(OpenItem.ID.init), let currency = currencies[item] else { return }
                result[item, default: []].append((try row.day(1), Money(minorUnits: try row.int64(2), currency: currency)))
            }
            // In the order of the table (written in time order, mostly); by day for each item.
            for (item, list) in result where zip(list, list.dropFirst()).contains(where: { $0.day > $1.day }) {
                result[item] = list.sorted { $0.day < $1.day }
            }
            return result
        }
        let ids = items.map(\.item.rawValue)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            try sql.query("""
                SELECT open_item_id, day, amount FROM allocation
                WHERE open_item_id IN (\(raw: Self.integerList(chunk))) AND kind = 'allocation' AND reversed_by IS NULL ORDER BY day, id
                """) { row in
                let item: OpenItem.ID = try row[0]
                guard let currency = currencies[item] else { return }
                result[item, default: []].append((try row[1], Money(minorUnits: try row[2], currency: currency)))
            }
        }
        return result
    }

    public func collectionsProfiles() throws -> [Customer.ID: CollectionsProfile] {
        var profiles: [Customer.ID: CollectionsProfile] = [:]
        try sql.stream("SELECT id, category, dunning_exempt, language, email, credit_hold_day, dunning_policy FROM customer") { row in
            let id: Customer.ID = try row[0]
            profiles[id] = CollectionsProfile(customer: id, category: try row[1], exempt: try row[2], language: try row[3], email: try row[4],
                                              onHoldSince: try row[5], policy: try row[6])
        }
        return profiles
    }

    public func heldCustomers() throws -> [(customer: Customer.ID, since: Day)] {
        try sql.rows("SELECT id, credit_hold_day FROM customer WHERE credit_hold_day IS NOT NULL") { (try $0[0], try $0[1]) }
    }

    /// Promises matching `condition` (over `p`), each with the receipts since it was made through `asOf`.
    private func promises(where condition: SQL, asOf: Day) throws -> [PromiseRecord] {
        try sql.rows("""
            SELECT p.id, p.customer_id, i.number, p.amount, p.made_day, p.due_day, p.recorded_by, p.note, p.escalated_day,
                   (SELECT CAST(COALESCE(SUM(c.amount), 0) AS BIGINT) FROM credit c WHERE c.customer_id = p.customer_id
                    AND c.kind = 'receipt' AND c.reversed_day IS NULL AND c.day BETWEEN p.made_day AND \(asOf)), k.currency
            FROM promise p JOIN customer k ON k.id = p.customer_id LEFT JOIN invoice i ON i.id = p.invoice_id
            WHERE \(condition) ORDER BY p.id
            """) { row in
            // A promise is in the customer's currency, as are the receipts that keep it.
            let currency = try StoredTextParser.currency(row[10])
            return PromiseRecord(id: try row[0], customer: try row[1], invoice: try row[2], amount: Money(minorUnits: try row[3], currency: currency),
                                 made: try row[4], due: try row[5], recordedBy: try row[6], note: try row[7], escalatedOn: try row[8],
                                 paid: Money(minorUnits: try row[9], currency: currency))
        }
    }

    public func promises(asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.escalated_day IS NULL AND p.made_day <= \(asOf)", asOf: asOf)
    }

    public func promises(customer: Customer.ID, asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.customer_id = \(customer)", asOf: asOf)
    }

    public func promisesDue(from: Day, to: Day, asOf: Day) throws -> [PromiseRecord] {
        try promises(where: "p.due_day BETWEEN \(from) AND \(to)", asOf: asOf)
    }

    public func activities(customer: Customer.ID, limit: Int) throws -> [ActivityRecord] {
        try sql.rows("""
            SELECT a.id, a.customer_id, i.number, a.kind, a.day, a.outcome, a.next_action_day, a.next_action, a.actor
            FROM activity a LEFT JOIN invoice i ON i.id = a.invoice_id WHERE a.customer_id = \(customer)
            ORDER BY a.day DESC, a.id DESC LIMIT \(limit)
            """) { row in
            guard let kind = ActivityKind(rawValue: try row[3]) else {
                throw StorageError(code: .incompatible, message: "the book holds an unknown activity kind")
            }
            return ActivityRecord(id: try row[0], customer: try row[1], invoice: try row[2], kind: kind, day: try row[4], outcome: try row[5],
                                  nextActionDay: try row[6], nextAction: try row[7], actor: try row[8])
        }
    }

    public func nextActions() throws -> [Customer.ID: NextAction] {
        var actions: [Customer.ID: NextAction] = [:]
        // The latest activity of each customer that names a next action (the highest id wins on a day).
        try sql.stream("""
            SELECT a.customer_id, a.next_action_day, a.next_action FROM activity a
            WHERE a.next_action_day IS NOT NULL AND a.id = (SELECT MAX(b.id) FROM activity b
                                                            WHERE b.customer_id = a.customer_id AND b.next_action_day IS NOT NULL)
            """) { row in actions[try row[0]] = NextAction(day: try row[1], action: try row[2]) }
        return actions
    }

    public func oldestOverdue(asOf: Day) throws -> [Customer.ID: Day] {
        var oldest: [Customer.ID: Day] = [:]
        try sql.stream("""
            SELECT customer_id, MIN(due_day) FROM open_item WHERE amount_open > 0 AND due_day < \(asOf) AND issue_day <= \(asOf)
            GROUP BY customer_id
            """) { row in
            oldest[Customer.ID(try row.int64(0))] = try row.day(1)
        }
        return oldest
    }

    static var disputeSelect: SQL {
        """
        SELECT d.id, d.customer_id, i.number, d.amount, d.reason, d.opened_day, d.owner, d.status, d.closed_day, d.resolution, i.currency
        FROM dispute d JOIN invoice i ON i.id = d.invoice_id
        """
    }

    static func dispute(_ row: Executor.Row) throws -> DisputeRecord {
        guard let status = DisputeStatus(rawValue: try row[7]) else {
            throw StorageError(code: .incompatible, message: "the book holds an unknown dispute status")
        }
        return DisputeRecord(id: try row[0], customer: try row[1], invoice: try row[2],
                             amount: Money(minorUnits: try row[3], currency: try StoredTextParser.currency(row[10])), reason: try row[4],
                             opened: try row[5], owner: try row[6], status: status, closed: try row[8], resolution: try row[9])
    }

    public func disputes(status: DisputeStatus?) throws -> [DisputeRecord] {
        let condition: SQL = status.map { "WHERE d.status = \($0.rawValue)" } ?? ""
        return try sql.rows("\(Self.disputeSelect) \(condition) ORDER BY d.opened_day, d.id LIMIT 10000", Self.dispute)
    }

    public func disputes(customer: Customer.ID) throws -> [DisputeRecord] {
        try sql.rows("\(Self.disputeSelect) WHERE d.customer_id = \(customer) ORDER BY d.opened_day, d.id", Self.dispute)
    }

    public func dispute(id: DisputeRecord.ID) throws -> DisputeRecord? {
        try sql.row("\(Self.disputeSelect) WHERE d.id = \(id)\(locking("d"))", Self.dispute)
    }

    public func dunningPolicies() throws -> (definitions: [String: String], categories: [String: String]) {
        var definitions: [String: String] = [:], categories: [String: String] = [:]
        try sql.query("SELECT name, definition FROM dunning_policy") { definitions[try $0[0]] = try $0[1] }
        try sql.query("SELECT category, policy FROM dunning_policy_category") { categories[try $0[0]] = try $0[1] }
        return (definitions, categories)
    }

    public func dunningRunExists(day: Day) throws -> Bool {
        try sql.value("SELECT 1 FROM dunning_run WHERE day = \(day)") as Int64? != nil
    }

    public func lastDunningRun() throws -> Day? {
        try sql.value("SELECT MAX(day) FROM dunning_run")
    }

    public func notices(customer: Customer.ID) throws -> [NoticeRecord] {
        try sql.rows("""
            SELECT n.customer_id, n.day, n.level, n.level_name, n.policy, n.chased, n.fee, n.interest, n.fee_invoice_id, k.currency
            FROM dunning_notice n JOIN customer k ON k.id = n.customer_id WHERE n.customer_id = \(customer) ORDER BY n.day, n.level
            """) { row in
            // A notice chases and charges in the customer's currency.
            let currency = try StoredTextParser.currency(row[9])
            let money = { (minorUnits: Int64) in Money(minorUnits: minorUnits, currency: currency) }
            return NoticeRecord(customer: try row[0], day: try row[1], level: try row[2], levelName: try row[3], policy: try row[4],
                                chased: money(try row[5]), fee: money(try row[6]), interest: money(try row[7]), feeInvoice: try row[8])
        }
    }

    public func isLateFee(invoice: Invoice.ID) throws -> Bool {
        try sql.value("""
            SELECT CASE WHEN e.kind = 'late_fee' THEN 1 ELSE 0 END FROM invoice i JOIN journal_entry e ON e.id = i.entry_id
            WHERE i.id = \(invoice)
            """) ?? false
    }

    static var outboxColumns: SQL {
        """
        id, notice_id, customer_id, channel, language, recipient, subject, body, status, attempts, next_attempt_at, last_error,
        created_at, sent_at
        """
    }

    static func outbox(_ row: Executor.Row) throws -> StoredOutboxMessage {
        guard let channel = DunningChannel(rawValue: try row[3]), let status = OutboxStatus(rawValue: try row[8]) else {
            throw StorageError(code: .incompatible, message: "the book holds an unknown outbox channel or status")
        }
        return StoredOutboxMessage(
            id: try row[0], message: OutboxMessage(notice: try row[1], customer: try row[2], channel: channel, language: try row[4],
                                                   recipient: try row[5], subject: try row[6], body: try row[7]),
            status: status, attempts: try row[9], nextAttemptAt: try row[10], lastError: try row[11], createdAt: try row[12],
            sentAt: try row[13])
    }

    public func outboxMessages(status: OutboxStatus?, limit: Int, before: StoredOutboxMessage.ID?) throws -> [StoredOutboxMessage] {
        let condition: SQL = status.map { "status = \($0.rawValue) AND " } ?? ""
        return try sql.rows("""
            SELECT \(Self.outboxColumns) FROM outbox WHERE \(condition)id < \(before?.rawValue ?? Int64.max) ORDER BY id DESC LIMIT \(limit)
            """, Self.outbox)
    }

    public func outboxMessage(id: StoredOutboxMessage.ID) throws -> StoredOutboxMessage? {
        try sql.row("SELECT \(Self.outboxColumns) FROM outbox WHERE id = \(id)", Self.outbox)
    }
}
