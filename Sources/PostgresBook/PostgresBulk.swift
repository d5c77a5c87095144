import Bookkeeping
import Receivables

/// An import's writes on PostgreSQL, gathered and sent with `COPY` instead of a statement (and a round
/// trip) per row. Ids come from the tables' own sequences, reserved in blocks; what the import reads
/// while it runs (does a number exist, which items of an invoice or customer are open) is answered from
/// what the book held when the load began plus what the load wrote since, kept here. Anything else
/// run on the connection sends the gathered rows first, so every other read sees them.
final class PostgresBulk {
    /// Rows gathered before they are sent.
    static let flushRows = 60_000
    static let idBlock = 100_000

    /// The tables a load writes, in the order their references need.
    enum Table: Int, CaseIterable {
        case customer, entry, line, invoice, invoiceLine, item, credit, allocation

        var name: String { PostgresBulk.tables[rawValue].name }
        var columns: [String] { PostgresBulk.tables[rawValue].columns }
    }

    private var reserved: [String: [Int64]] = [:]
    /// Each table's gathered rows, already in COPY's text format; credits stay values until sent, since
    /// the allocations that follow lower their unapplied amount.
    private var texts = [String](repeating: "", count: Table.allCases.count)
    private var credits: [[StoredValue]] = []
    private var gathered = 0
    /// Customer codes, invoice numbers and credit references (kind + reference) in the book or the load.
    var customerCodes: Set<String>?
    var invoiceNumbers: Set<String>?
    var creditReferences: Set<String>?
    /// Open items by id, their invoice's items and each customer's, when the load allocates.
    var items: [Int64: OpenItem] = [:]
    var invoices: [String: (id: Int64, customer: Customer.ID)] = [:]
    var itemsOfInvoice: [Int64: [Int64]] = [:]
    var itemsOfCustomer: [Customer.ID: [Int64]] = [:]
    var tracksItems = false
    /// What the load is, and the statements that make again the indexes and foreign keys it dropped.
    var kind: ImportKind = .invoices
    var restore: [String] = []
    /// Whether the load holds its tables locked against other writers.
    var ownsSequences = false
    /// Open amounts and unapplied amounts changed by the load, to be written back.
    private var changedItems: Set<Int64> = []
    private var creditRows: [Int64: Int] = [:]
    private var creditChanges: [Int64: Int64] = [:]

    static let tables: [(name: String, columns: [String])] = [
        ("customer", ["id", "code", "name", "currency", "terms", "credit_limit", "category", "email", "phone"]),
        ("journal_entry", ["id", "day", "kind", "document", "customer_id", "currency"]),
        ("journal_line", ["entry_id", "line_no", "account", "customer_id", "amount"]),
        ("invoice", ["id", "number", "customer_id", "issue_day", "amount", "currency", "description", "discount_until",
                     "discount_amount", "discount_bp", "entry_id"]),
        ("invoice_line", ["invoice_id", "line_no", "description", "net", "vat_bp", "vat"]),
        ("open_item", ["id", "invoice_id", "seq", "customer_id", "issue_day", "due_day", "amount", "amount_open"]),
        ("credit", ["id", "kind", "reference", "customer_id", "day", "amount", "currency", "method", "invoice_id", "memo",
                    "amount_unapplied", "entry_id"]),
        ("allocation", ["id", "kind", "credit_id", "open_item_id", "customer_id", "day", "amount", "credit_day", "item_issue_day",
                        "item_due_day", "reverses_id", "entry_id"]),
    ]

    var isEmpty: Bool { gathered == 0 && changedItems.isEmpty && creditChanges.isEmpty }

    /// The next id of `table`, from a block reserved from its sequence. While the load holds its tables
    /// locked (`ownsSequences`) nobody else inserts there, and the block is one move of the sequence;
    /// otherwise each id is drawn with nextval, as concurrent inserts draw theirs.
    func nextID(_ table: String, session: PostgresSession) throws -> Int64 {
        if reserved[table, default: []].isEmpty {
            if ownsSequences {
                let last: Int64 = try session.row("""
                    SELECT setval(pg_get_serial_sequence($1, 'id'), nextval(pg_get_serial_sequence($1, 'id')) + $2 - 1)
                    """, table, Self.idBlock)?[0] ?? 0
                reserved[table] = Array((last - Int64(Self.idBlock) + 1...last).reversed())
            } else {
                reserved[table] = try session.rows("""
                    SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2) ORDER BY 1 DESC
                    """, table, Self.idBlock / 20).map { try $0[0] }
            }
        }
        return reserved[table]!.removeLast()
    }

    func add(_ table: Table, _ row: [StoredValue]) {
        gathered += 1
        guard table != .credit else {
            if case .integer(let id) = row[0] { creditRows[id] = credits.count }
            credits.append(row)
            return
        }
        for (index, value) in row.enumerated() {
            if index > 0 { texts[table.rawValue] += "\t" }
            PostgresSession.appendCopyText(value, to: &texts[table.rawValue])
        }
        texts[table.rawValue] += "\n"
    }

    /// An allocation's effect on what the load knows: the item's open amount and the credit's unapplied
    /// amount, refused below zero as the schema would.
    func allocate(_ amount: Int64, item: Int64?, credit: Int64) throws {
        if let item, var known = items[item] {
            let open = known.open.minorUnits - amount
            guard open >= 0, open <= known.amount.minorUnits else {
                throw StorageError(code: .constraint, message: "the book refused a value that breaks one of its rules",
                                   underlying: "open amount of item \(item) would be \(open)")
            }
            known = OpenItem(id: known.id, customer: known.customer, issue: known.issue, due: known.due, amount: known.amount,
                             open: Money(minorUnits: open, currency: known.amount.currency))
            items[item] = known
            changedItems.insert(item)
        }
        if let index = creditRows[credit], case .integer(let unapplied) = credits[index][10] {
            guard unapplied - amount >= 0 else {
                throw StorageError(code: .constraint, message: "the book refused a value that breaks one of its rules",
                                   underlying: "unapplied amount of credit \(credit) would be \(unapplied - amount)")
            }
            credits[index][10] = .integer(unapplied - amount)
        } else {
            creditChanges[credit, default: 0] += amount
        }
    }

    /// The items among `ids` with something open, as the load knows them, in the order given.
    func open(_ ids: [Int64]?) -> [OpenItem] {
        (ids ?? []).compactMap { items[$0] }.filter { $0.open.isPositive }
    }

    /// Whether the item's open amount is known here (so the load writes it back) rather than in the table.
    func knows(item: Int64) -> Bool { items[item] != nil }

    /// Sends everything gathered: the new rows by COPY in the order their references need, then the
    /// open and unapplied amounts the load changed. It runs in the background (see
    /// `PostgresSession.inBackground`) while the import prepares the next rows.
    func flush(_ session: PostgresSession) throws {
        let payloads = Table.allCases.compactMap { table -> CopyPayload? in
            if table == .credit { return credits.isEmpty ? nil : CopyPayload(table: table.name, columns: table.columns, rows: credits) }
            return texts[table.rawValue].isEmpty ? nil : CopyPayload(table: table.name, columns: table.columns, text: texts[table.rawValue])
        }
        let changed = changedItems.compactMap { id in items[id].map { [StoredValue.integer(id), .integer($0.open.minorUnits)] } }
        let opens = changed.isEmpty ? nil : CopyPayload(table: "arbook_item_open", columns: ["id", "amount_open"], rows: changed)
        let deltas = creditChanges
        texts = [String](repeating: "", count: Table.allCases.count)
        credits = []
        gathered = 0
        creditRows = [:]
        changedItems = []
        creditChanges = [:]
        try session.inBackground { connection, logger in
            for payload in payloads { try await payload.send(connection, logger: logger) }
            if let opens {
                try await connection.query("CREATE TEMP TABLE IF NOT EXISTS arbook_item_open (id BIGINT, amount_open BIGINT) ON COMMIT DROP",
                                           logger: logger)
                try await connection.query("TRUNCATE arbook_item_open", logger: logger)
                try await opens.send(connection, logger: logger)
                try await connection.query("UPDATE open_item o SET amount_open = t.amount_open FROM arbook_item_open t WHERE o.id = t.id",
                                           logger: logger)
            }
            for (credit, amount) in deltas {
                try await connection.query("UPDATE credit SET amount_unapplied = amount_unapplied - \(amount) WHERE id = \(credit)",
                                           logger: logger)
            }
        }
    }

    var isFull: Bool { gathered >= Self.flushRows }
}
