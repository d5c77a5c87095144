import Bookkeeping
import BookSQL
import Receivables

/// An import's writes on PostgreSQL, gathered and sent with `COPY` instead of a statement (and a round
/// trip) per row. Ids come from the tables' own sequences, reserved in blocks; what the import reads
/// while it runs (does a number exist, which items of an invoice or customer are open) is answered from
/// what the book held when the load began plus what the load wrote since, kept here. Anything else
/// run on the connection sends the gathered rows first, so every other read sees them.
final class PostgresBulk: BulkLoadAnswers {
    typealias Table = DocumentTable
    unowned let session: PostgresSession

    /// Rows gathered before they are sent.
    static let flushRows = 60_000
    static let idBlock = 100_000

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
    var items: [OpenItem.ID: OpenItem] = [:]
    var invoices: [String: (id: Invoice.ID, customer: Customer.ID)] = [:]
    var itemsOfInvoice: [Invoice.ID: [OpenItem.ID]] = [:]
    var itemsOfCustomer: [Customer.ID: [OpenItem.ID]] = [:]
    var tracksItems = false
    /// What the load is, and the statements that make again the indexes and foreign keys it dropped.
    let kind: ImportKind
    var restore: [String] = []
    /// Whether the load holds its tables locked against other writers.
    var ownsSequences = false
    /// Open amounts and unapplied amounts changed by the load, to be written back.
    private var changedItems: Set<OpenItem.ID> = []
    private var creditRows: [Int64: Int] = [:]
    private var creditChanges: [Int64: Int64] = [:]

    init(kind: ImportKind, session: PostgresSession) {
        self.kind = kind
        self.session = session
    }

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
    func allocate(_ amount: Int64, item: OpenItem.ID?, credit: Credit.ID) throws {
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
        if let index = creditRows[credit.rawValue], case .integer(let unapplied) = credits[index][DocumentRows.creditUnappliedColumn] {
            guard unapplied - amount >= 0 else {
                throw StorageError(code: .constraint, message: "the book refused a value that breaks one of its rules",
                                   underlying: "unapplied amount of credit \(credit) would be \(unapplied - amount)")
            }
            credits[index][DocumentRows.creditUnappliedColumn] = .integer(unapplied - amount)
        } else {
            creditChanges[credit.rawValue, default: 0] += amount
        }
    }

    /// Whether rows of `table` are gathered rather than inserted: the tables of the documents this load
    /// writes. Allocations are gathered through `allocate`.
    func gathers(_ table: Table) -> Bool {
        switch table {
        case .customer: customerCodes != nil
        case .entry, .line: true
        case .invoice, .invoiceLine, .item: invoiceNumbers != nil
        case .credit: creditReferences != nil
        case .allocation: false
        }
    }

    /// Claims the unique key of a gathered row (customer code, invoice number, credit kind and
    /// reference); false when the book or the load holds it already.
    func claimKey(_ table: Table, _ values: [StoredValue]) -> Bool {
        func text(_ index: Int) -> String {
            if case .text(let text) = values[index] { return text }
            return ""
        }
        switch table {
        case .customer: return customerCodes?.insert(text(0)).inserted ?? true
        case .invoice: return invoiceNumbers?.insert(text(0)).inserted ?? true
        case .credit: return creditReferences?.insert("\(text(0)):\(text(1))").inserted ?? true
        default: return true
        }
    }

    // MARK: what the load answers

    func payable(invoice number: DocumentNumber) -> PayableInvoice?? {
        guard tracksItems else { return nil }
        guard let invoice = invoices[number.rawValue] else { return .some(nil) }
        return PayableInvoice(id: invoice.id, customer: invoice.customer, open: open(itemsOfInvoice[invoice.id]))
    }

    func openItems(customer: Customer.ID) -> [OpenItem]? {
        tracksItems ? open(itemsOfCustomer[customer]) : nil
    }

    /// Gathered when the load knows the item's open amount (and so writes it back itself).
    func allocate(_ allocation: NewAllocation) throws -> Int64? {
        guard allocation.item.map({ knows(item: $0.id) }) ?? true else { return nil }
        try allocate(allocation.amount.minorUnits, item: allocation.item?.id, credit: allocation.credit.id)
        let id = try nextID(Table.allocation.name, session: session)
        add(.allocation, [.integer(id)] + DocumentRows.allocation(allocation))
        return id
    }

    /// The items among `ids` with something open, as the load knows them, in the order given.
    func open(_ ids: [OpenItem.ID]?) -> [OpenItem] {
        (ids ?? []).compactMap { items[$0] }.filter { $0.open.isPositive }
    }

    /// Whether the item's open amount is known here (so the load writes it back) rather than in the table.
    func knows(item: OpenItem.ID) -> Bool { items[item] != nil }

    /// Sends everything gathered: the new rows by COPY in the order their references need, then the
    /// open and unapplied amounts the load changed. It runs in the background (see
    /// `PostgresSession.inBackground`) while the import prepares the next rows.
    func flush(_ session: PostgresSession) throws {
        let payloads = Table.allCases.compactMap { table -> CopyPayload? in
            if table == .credit { return credits.isEmpty ? nil : CopyPayload(table: table.name, columns: table.columns, rows: credits) }
            return texts[table.rawValue].isEmpty ? nil : CopyPayload(table: table.name, columns: table.columns, text: texts[table.rawValue])
        }
        let changed = changedItems.compactMap { id in items[id].map { [StoredValue.integer(id.rawValue), .integer($0.open.minorUnits)] } }
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
