import GRDB

/// The book's schema, as append-only named migrations. A released migration is never edited.
///
/// Money is INTEGER minor units, days are INTEGER day numbers (days since 1970-01-01): the same
/// representation PostgreSQL uses, so queries stay portable. The schema enforces what it can
/// (NOT NULL, CHECK, UNIQUE, foreign keys): an amount open can never go below zero or above the
/// item, whatever a caller does.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-book") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-users-audit") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-tokens-idempotency") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4-web-sessions") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5-invoice-issue-index") { db in
            try db.execute(sql: "CREATE INDEX invoice_issue ON invoice(issue_day, customer_id, amount)")
        }
        return migrator
    }

    static let v1 = """
    CREATE TABLE setting (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    );
    CREATE TABLE customer (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
        name TEXT NOT NULL,
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        terms TEXT NOT NULL,
        credit_limit INTEGER NOT NULL CHECK (credit_limit >= 0),
        category TEXT NOT NULL,
        email TEXT NOT NULL,
        phone TEXT NOT NULL
    );
    CREATE TABLE journal_entry (
        id INTEGER PRIMARY KEY,
        day INTEGER NOT NULL,
        kind TEXT NOT NULL,
        document TEXT NOT NULL,
        customer_id INTEGER REFERENCES customer(id),
        currency TEXT NOT NULL
    );
    CREATE INDEX journal_entry_customer ON journal_entry(customer_id, day);
    CREATE TABLE journal_line (
        entry_id INTEGER NOT NULL REFERENCES journal_entry(id),
        line_no INTEGER NOT NULL,
        account TEXT NOT NULL,
        customer_id INTEGER REFERENCES customer(id),
        amount INTEGER NOT NULL CHECK (amount <> 0),
        PRIMARY KEY (entry_id, line_no)
    ) WITHOUT ROWID;
    CREATE TABLE invoice (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        issue_day INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        currency TEXT NOT NULL,
        description TEXT NOT NULL,
        discount_until INTEGER,
        discount_amount INTEGER,
        discount_bp INTEGER,
        entry_id INTEGER NOT NULL REFERENCES journal_entry(id)
    );
    CREATE INDEX invoice_customer ON invoice(customer_id, issue_day);
    CREATE TABLE invoice_line (
        invoice_id INTEGER NOT NULL REFERENCES invoice(id),
        line_no INTEGER NOT NULL,
        description TEXT NOT NULL,
        net INTEGER NOT NULL,
        vat_bp INTEGER NOT NULL CHECK (vat_bp >= 0),
        vat INTEGER NOT NULL,
        PRIMARY KEY (invoice_id, line_no)
    ) WITHOUT ROWID;
    CREATE TABLE open_item (
        id INTEGER PRIMARY KEY,
        invoice_id INTEGER NOT NULL REFERENCES invoice(id),
        seq INTEGER NOT NULL,
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        issue_day INTEGER NOT NULL,
        due_day INTEGER NOT NULL CHECK (due_day >= issue_day),
        amount INTEGER NOT NULL CHECK (amount > 0),
        amount_open INTEGER NOT NULL CHECK (amount_open >= 0 AND amount_open <= amount),
        UNIQUE (invoice_id, seq)
    );
    CREATE INDEX open_item_open ON open_item(customer_id, due_day, issue_day, amount_open) WHERE amount_open > 0;
    CREATE TABLE credit (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('receipt', 'credit_note')),
        reference TEXT NOT NULL,
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        day INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        currency TEXT NOT NULL,
        method TEXT,
        invoice_id INTEGER REFERENCES invoice(id),
        memo TEXT NOT NULL,
        amount_unapplied INTEGER NOT NULL CHECK (amount_unapplied >= 0 AND amount_unapplied <= amount),
        reversed_day INTEGER,
        reversal_reason TEXT,
        entry_id INTEGER REFERENCES journal_entry(id),
        UNIQUE (kind, reference)
    );
    CREATE INDEX credit_unapplied ON credit(customer_id, day, amount_unapplied) WHERE amount_unapplied > 0;
    CREATE INDEX credit_note_invoice ON credit(invoice_id, amount) WHERE kind = 'credit_note';
    CREATE TABLE allocation (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('allocation', 'reversal', 'credit_void')),
        credit_id INTEGER NOT NULL REFERENCES credit(id),
        open_item_id INTEGER REFERENCES open_item(id),
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        day INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount <> 0),
        credit_day INTEGER NOT NULL,
        item_issue_day INTEGER,
        item_due_day INTEGER,
        reverses_id INTEGER REFERENCES allocation(id),
        reversed_by INTEGER REFERENCES allocation(id),
        entry_id INTEGER REFERENCES journal_entry(id),
        CHECK ((kind = 'credit_void') = (open_item_id IS NULL)),
        CHECK ((kind = 'allocation') = (amount > 0) OR kind = 'credit_void')
    );
    CREATE INDEX allocation_day ON allocation(day, customer_id, credit_day, item_issue_day, item_due_day, amount);
    CREATE INDEX allocation_item ON allocation(open_item_id, amount) WHERE open_item_id IS NOT NULL;
    CREATE INDEX allocation_credit ON allocation(credit_id, amount);
    CREATE TABLE import_batch (
        fingerprint TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        rows INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    );
    """

    /// Users and their roles, collectors assigned to customers, and the audit trail.
    static let v2 = """
    CREATE TABLE user (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'accountant', 'collector', 'manager', 'auditor')),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL
    );
    ALTER TABLE customer ADD COLUMN collector_user_id INTEGER REFERENCES user(id);
    CREATE INDEX customer_collector ON customer(collector_user_id) WHERE collector_user_id IS NOT NULL;
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        actor_user_id INTEGER REFERENCES user(id),
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        key TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is never edited'); END;
    CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is never edited'); END;
    """

    /// API tokens (only their SHA-256 is kept) and the results of requests sent with an idempotency key.
    static let v3 = """
    CREATE TABLE api_token (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        user_id INTEGER NOT NULL REFERENCES user(id),
        role TEXT NOT NULL CHECK (role IN ('admin', 'accountant', 'collector', 'manager', 'auditor')),
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE idempotency (
        key TEXT NOT NULL,
        principal TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER,
        content_type TEXT,
        body BLOB,
        created_at TEXT NOT NULL,
        PRIMARY KEY (principal, key)
    ) WITHOUT ROWID;
    """

    /// Browser sessions: the hash of the cookie's token, the CSRF token, created and last-seen seconds.
    static let v4 = """
    CREATE TABLE web_session (
        token_hash TEXT PRIMARY KEY NOT NULL,
        user_id INTEGER NOT NULL REFERENCES user(id),
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        seen_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    """
}
