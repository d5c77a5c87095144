/// A stored value as every engine can hold it: what `arbook copy` moves between engines.
public enum StoredValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
}

/// A table of the book with the columns a copy moves, in an order in which each row's references are
/// already there. Both engines keep the same tables and columns.
public struct BookTable: Hashable, Sendable {
    public let name: String
    public let columns: [String]
    /// Rows are read in this order.
    public let key: [String]
    /// When set, the rows update `columns.dropFirst()` of the rows whose first column matches, rather
    /// than being inserted: a reference to a row that comes later in its own table.
    public let updates: Bool
    /// Only rows matching this condition are read.
    public let condition: String?

    init(_ name: String, _ columns: String, key: String = "id", updates: Bool = false, condition: String? = nil) {
        self.name = name
        self.columns = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        self.key = key.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        self.updates = updates
        self.condition = condition
    }

    /// Every table but the settings (a copy saves those through `saveSettings`), parents first.
    public static let all: [BookTable] = [
        BookTable("user", "id, name, display_name, password_hash, role, disabled, created_at"),
        BookTable("dunning_policy", "name, definition, updated_at", key: "name"),
        BookTable("customer", """
            id, code, name, currency, terms, credit_limit, category, email, phone, collector_user_id, dunning_exempt, language,
            credit_hold_day, legal_day, dunning_policy
            """),
        BookTable("journal_entry", "id, day, kind, document, customer_id, currency"),
        BookTable("journal_line", "entry_id, line_no, account, customer_id, amount", key: "entry_id, line_no"),
        BookTable("invoice", """
            id, number, customer_id, issue_day, amount, currency, description, discount_until, discount_amount, discount_bp, entry_id
            """),
        BookTable("invoice_line", "invoice_id, line_no, description, net, vat_bp, vat", key: "invoice_id, line_no"),
        BookTable("open_item", "id, invoice_id, seq, customer_id, issue_day, due_day, amount, amount_open"),
        BookTable("credit", """
            id, kind, reference, customer_id, day, amount, currency, method, invoice_id, memo, amount_unapplied, reversed_day,
            reversal_reason, entry_id
            """),
        BookTable("allocation", """
            id, kind, credit_id, open_item_id, customer_id, day, amount, credit_day, item_issue_day, item_due_day, reverses_id, entry_id
            """),
        BookTable("allocation", "id, reversed_by", updates: true, condition: "reversed_by IS NOT NULL"),
        BookTable("import_batch", "fingerprint, kind, file_name, rows, imported_at", key: "fingerprint"),
        BookTable("audit", "id, at, actor, actor_user_id, action, entity, key, before, after"),
        BookTable("audit_link", "seq, audit_id, hash", key: "seq"),
        BookTable("journal_seal", "seq, first_entry_id, last_entry_id, entries, hash", key: "seq"),
        BookTable("api_token", "id, name, user_id, role, token_hash, created_at, revoked_at"),
        BookTable("idempotency", "key, principal, request_hash, status, content_type, body, created_at", key: "principal, key"),
        BookTable("web_session", "token_hash, user_id, csrf, created_at, seen_at", key: "token_hash"),
        BookTable("dunning_policy_category", "category, policy", key: "category"),
        BookTable("dunning_run", "day, started_at", key: "day"),
        BookTable("dunning_notice", "id, customer_id, day, level, level_name, policy, chased, fee, interest, fee_invoice_id"),
        BookTable("dunning_notice_item", "notice_id, open_item_id, level, chased, interest", key: "notice_id, open_item_id"),
        BookTable("outbox", """
            id, notice_id, customer_id, channel, language, recipient, subject, body, status, attempts, next_attempt_at, last_error,
            created_at, sent_at
            """),
        BookTable("promise", "id, customer_id, invoice_id, amount, made_day, due_day, recorded_by, note, escalated_day, created_at"),
        BookTable("dispute", """
            id, customer_id, invoice_id, amount, reason, opened_day, owner, status, closed_day, resolution, credit_note_id, created_at
            """),
        BookTable("activity", "id, customer_id, invoice_id, kind, day, outcome, next_action_day, next_action, actor, created_at"),
    ]
}

/// Reading and writing whole tables, for `arbook copy`.
public protocol TableQueries {
    /// Calls `body` with each row of `table` (its `columns`, in key order).
    func tableRows(_ table: BookTable, _ body: ([StoredValue]) throws -> Void) throws
}

public protocol TableWrites {
    /// Inserts (or, for an `updates` table, applies) rows as `tableRows` read them, ids included.
    func insertTableRows(_ table: BookTable, _ rows: [[StoredValue]]) throws
    /// After a copy: whatever the engine derives from the rows (the next id of each table) is set.
    func tableRowsCopied() throws
}
