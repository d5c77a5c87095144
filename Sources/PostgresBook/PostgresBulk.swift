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
    static let idBlock = 20_000

    private var reserved: [String: [Int64]] = [:]
    private var rows: [String: [[StoredValue]]] = [:]
    private var gathered = 0
    /// Invoice numbers and credit references (kind + reference) in the book or the load.
    var invoiceNumbers: Set<String>?
    var creditReferences: Set<String>?
    /// Open items by id, their invoice's items and each customer's, when the load allocates.
    var items: [Int64: OpenItem] = [:]
    var invoices: [String: (id: Int64, customer: Customer.ID)] = [:]
    var itemsOfInvoice: [Int64: [Int64]] = [:]
    var itemsOfCustomer: [Customer.ID: [Int64]] = [:]
    var tracksItems = false
    /// Open amounts and unapplied amounts changed by the load, to be written back.
    private var changedItems: Set<Int64> = []
    private var creditRows: [Int64: Int] = [:]
    private var creditChanges: [Int64: Int64] = [:]

    static let tables: [(name: String, columns: [String])] = [
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

    /// The next id of `table`, from a block reserved from its sequence.
    func nextID(_ table: String, session: PostgresSession) throws -> Int64 {
        if reserved[table, default: []].isEmpty {
            reserved[table] = try session.rows("""
                SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2) ORDER BY 1 DESC
                """, table, Self.idBlock).map { try $0[0] }
        }
        return reserved[table]!.removeLast()
    }

    func add(_ table: String, _ row: [StoredValue]) {
        if table == "credit", case .integer(let id) = row[0] { creditRows[id] = rows[table, default: []].count }
        rows[table, default: []].append(row)
        gathered += 1
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
        if let index = creditRows[credit], case .integer(let unapplied) = rows["credit"]![index][10] {
            guard unapplied - amount >= 0 else {
                throw StorageError(code: .constraint, message: "the book refused a value that breaks one of its rules",
                                   underlying: "unapplied amount of credit \(credit) would be \(unapplied - amount)")
            }
            rows["credit"]![index][10] = .integer(unapplied - amount)
        } else {
            creditChanges[credit, default: 0] += amount
        }
    }

    /// Whether the item's open amount is known here (so the load writes it back) rather than in the table.
    func knows(item: Int64) -> Bool { items[item] != nil }

    /// Sends everything gathered: the new rows by COPY in the order their references need, then the
    /// open and unapplied amounts the load changed.
    func flush(_ session: PostgresSession) throws {
        let pending = rows
        rows = [:]
        gathered = 0
        creditRows = [:]
        for (name, columns) in Self.tables {
            guard let tableRows = pending[name], !tableRows.isEmpty else { continue }
            try session.copy(into: name, columns: columns, rows: tableRows)
        }
        if !changedItems.isEmpty {
            let changed = changedItems.compactMap { id in items[id].map { [StoredValue.integer(id), .integer($0.open.minorUnits)] } }
            changedItems = []
            try session.execute("CREATE TEMP TABLE IF NOT EXISTS arbook_item_open (id BIGINT, amount_open BIGINT) ON COMMIT DROP")
            try session.execute("TRUNCATE arbook_item_open")
            try session.copy(into: "arbook_item_open", columns: ["id", "amount_open"], rows: changed)
            try session.execute("UPDATE open_item o SET amount_open = t.amount_open FROM arbook_item_open t WHERE o.id = t.id")
        }
        for (credit, amount) in creditChanges {
            try session.execute("UPDATE credit SET amount_unapplied = amount_unapplied - $1 WHERE id = $2", amount, credit)
        }
        creditChanges = [:]
    }

    var isFull: Bool { gathered >= Self.flushRows }
}
