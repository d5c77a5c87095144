/// The migrations released before the schema was written once: each engine's text as it shipped,
/// never to be edited. The PostgreSQL book began with everything of the SQLite book's first six
/// migrations in its "v1-book"; its later five are therefore empty.
extension BookSchema {
    static let sqlite1 = """
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

    static let sqlite2 = """
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

    static let sqlite3 = """
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

    static let sqlite4 = """
    CREATE TABLE web_session (
        token_hash TEXT PRIMARY KEY NOT NULL,
        user_id INTEGER NOT NULL REFERENCES user(id),
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        seen_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    """

    static let sqlite6 = """
    ALTER TABLE customer ADD COLUMN dunning_exempt INTEGER NOT NULL DEFAULT 0 CHECK (dunning_exempt IN (0, 1));
    ALTER TABLE customer ADD COLUMN language TEXT NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en'));
    ALTER TABLE customer ADD COLUMN credit_hold_day INTEGER;
    ALTER TABLE customer ADD COLUMN legal_day INTEGER;
    CREATE TABLE dunning_policy (
        name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        definition TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
    ALTER TABLE customer ADD COLUMN dunning_policy TEXT REFERENCES dunning_policy(name);
    CREATE TABLE dunning_policy_category (
        category TEXT PRIMARY KEY NOT NULL,
        policy TEXT NOT NULL REFERENCES dunning_policy(name)
    ) WITHOUT ROWID;
    CREATE TABLE dunning_run (
        day INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL
    );
    CREATE TABLE dunning_notice (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        day INTEGER NOT NULL,
        level INTEGER NOT NULL CHECK (level >= 1),
        level_name TEXT NOT NULL,
        policy TEXT NOT NULL,
        chased INTEGER NOT NULL CHECK (chased > 0),
        fee INTEGER NOT NULL CHECK (fee >= 0),
        interest INTEGER NOT NULL CHECK (interest >= 0),
        fee_invoice_id INTEGER REFERENCES invoice(id),
        UNIQUE (customer_id, day, level)
    );
    CREATE TABLE dunning_notice_item (
        notice_id INTEGER NOT NULL REFERENCES dunning_notice(id),
        open_item_id INTEGER NOT NULL REFERENCES open_item(id),
        level INTEGER NOT NULL,
        chased INTEGER NOT NULL CHECK (chased > 0),
        interest INTEGER NOT NULL CHECK (interest >= 0),
        PRIMARY KEY (notice_id, open_item_id),
        UNIQUE (open_item_id, level)
    ) WITHOUT ROWID;
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        notice_id INTEGER REFERENCES dunning_notice(id),
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        channel TEXT NOT NULL,
        language TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE status = 'pending';
    CREATE TABLE promise (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        invoice_id INTEGER REFERENCES invoice(id),
        amount INTEGER NOT NULL CHECK (amount > 0),
        made_day INTEGER NOT NULL,
        due_day INTEGER NOT NULL CHECK (due_day >= made_day),
        recorded_by TEXT NOT NULL,
        note TEXT NOT NULL,
        escalated_day INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE INDEX promise_open ON promise(customer_id) WHERE escalated_day IS NULL;
    CREATE TABLE dispute (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        invoice_id INTEGER NOT NULL REFERENCES invoice(id),
        amount INTEGER NOT NULL CHECK (amount > 0),
        reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        opened_day INTEGER NOT NULL,
        owner TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'rejected')),
        closed_day INTEGER,
        resolution TEXT NOT NULL DEFAULT '',
        credit_note_id INTEGER REFERENCES credit(id),
        created_at TEXT NOT NULL,
        CHECK ((status = 'open') = (closed_day IS NULL))
    );
    CREATE INDEX dispute_open ON dispute(invoice_id) WHERE status = 'open';
    CREATE INDEX dispute_customer ON dispute(customer_id);
    CREATE TABLE activity (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customer(id),
        invoice_id INTEGER REFERENCES invoice(id),
        kind TEXT NOT NULL CHECK (kind IN ('call', 'email', 'visit', 'note')),
        day INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (length(outcome) BETWEEN 1 AND 2000),
        next_action_day INTEGER,
        next_action TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX activity_customer ON activity(customer_id, day);
    CREATE INDEX promise_due ON promise(due_day);
    """
}
