import Bookkeeping
import Receivables

extension PostgresTransaction {
    func invoice(number: DocumentNumber) throws -> StoredInvoice? {
        guard let row = try session.row("""
            SELECT i.id, i.customer_id, i.issue_day, i.amount, i.currency, i.description,
                   i.discount_until, i.discount_amount, i.discount_bp, c.code
            FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE i.number = $1
            """, number.rawValue) else { return nil }
        let id: Int64 = try row[0]
        let currency = try Self.currency(row[4])
        let lines = try session.rows("SELECT description, net, vat_bp FROM invoice_line WHERE invoice_id = $1 ORDER BY line_no", id).map {
            try InvoiceLine(description: $0[0], net: Money(minorUnits: $0[1], currency: currency), vatBasisPoints: $0[2])
        }
        let schedule = try items(invoice: id).map { ScheduledPart(due: $0.due, amount: $0.amount) }
        let until: Int32? = try row[6]
        let discount = try until.map { until in
            DiscountOffer(until: Day(ordinal: until), amount: Money(minorUnits: try row[7], currency: currency), basisPoints: try row[8])
        }
        let invoice = Invoice(stored: number, customer: Customer.Code(try row[9]), issue: Day(ordinal: try row[2]),
                              amount: Money(minorUnits: try row[3], currency: currency), description: try row[5],
                              lines: lines, schedule: schedule, discount: discount)
        return StoredInvoice(id: id, customer: Customer.ID(try row[1]), invoice: invoice)
    }

    static let itemColumns = "o.id, o.customer_id, o.issue_day, o.due_day, o.amount, o.amount_open, i.currency"

    static func item(_ row: PostgresRowReader) throws -> OpenItem {
        let currency = try Self.currency(row[6])
        return OpenItem(id: try row[0], customer: Customer.ID(try row[1]), issue: Day(ordinal: try row[2]), due: Day(ordinal: try row[3]),
                        amount: Money(minorUnits: try row[4], currency: currency), open: Money(minorUnits: try row[5], currency: currency))
    }

    func payable(invoice number: DocumentNumber) throws -> PayableInvoice? {
        if let bulk = session.bulk, bulk.tracksItems {
            guard let invoice = bulk.invoices[number.rawValue] else { return nil }
            return PayableInvoice(id: invoice.id, customer: invoice.customer, open: bulk.open(bulk.itemsOfInvoice[invoice.id]))
        }
        guard let invoice = try session.row("SELECT id, customer_id FROM invoice WHERE number = $1", number.rawValue) else { return nil }
        let id: Int64 = try invoice[0]
        return PayableInvoice(id: id, customer: Customer.ID(try invoice[1]), open: try openItems(invoice: id))
    }

    func openItem(id: Int64) throws -> OpenItem? {
        try session.row("SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id WHERE o.id = $1\(forUpdate.of("o"))", id)
            .map(Self.item)
    }

    func openItems(invoice: Int64) throws -> [OpenItem] {
        try session.rows("""
            SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.invoice_id = $1 AND o.amount_open > 0 ORDER BY o.seq\(forUpdate.of("o"))
            """, invoice).map(Self.item)
    }

    func items(invoice: Int64) throws -> [OpenItem] {
        try session.rows("""
            SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id WHERE o.invoice_id = $1 ORDER BY o.seq
            """, invoice).map(Self.item)
    }

    func openItems(customer: Customer.ID) throws -> [OpenItem] {
        if let bulk = session.bulk, bulk.tracksItems {
            return bulk.open(bulk.itemsOfCustomer[customer])
        }
        // In id order: two writers locking a customer's items take them in the same order.
        return try session.rows("""
            SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.customer_id = $1 AND o.amount_open > 0 ORDER BY o.id\(forUpdate.of("o"))
            """, customer.rawValue).map(Self.item)
    }

    func openInvoices(customer: Customer.ID) throws -> [OpenInvoice] {
        try session.rows("""
            SELECT i.number, i.issue_day, MIN(o.due_day), i.amount, SUM(o.amount_open)::bigint, i.currency
            FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.customer_id = $1 AND o.amount_open > 0
            GROUP BY i.id ORDER BY MIN(o.due_day), i.id
            """, customer.rawValue).map { row in
            let currency = try Self.currency(row[5])
            return OpenInvoice(number: DocumentNumber(try row[0]), issue: Day(ordinal: try row[1]), due: Day(ordinal: try row[2]),
                               amount: Money(minorUnits: try row[3], currency: currency), open: Money(minorUnits: try row[4], currency: currency))
        }
    }

    func unappliedCredits(customer: Customer.ID) throws -> [StoredCredit] {
        try session.rows("SELECT \(Self.creditColumns) FROM credit WHERE customer_id = $1 AND amount_unapplied > 0 ORDER BY day, id\(forUpdate)",
                         customer.rawValue).map(Self.credit)
    }

    func creditNotesTotal(invoice: Int64) throws -> Int64 {
        try session.row("SELECT COALESCE(SUM(amount), 0)::bigint FROM credit WHERE kind = 'credit_note' AND invoice_id = $1", invoice)?[0] ?? 0
    }

    static let creditColumns = "id, kind, reference, customer_id, day, amount, amount_unapplied, currency, method, reversed_day"

    static func credit(_ row: PostgresRowReader) throws -> StoredCredit {
        let currency = try Self.currency(row[7])
        let kindText: String = try row[1]
        guard let kind = CreditKind(rawValue: kindText) else {
            throw StorageError(code: .incompatible, message: "unknown credit kind \(kindText)")
        }
        let method: String? = try row[8]
        let reversed: Int32? = try row[9]
        return StoredCredit(id: try row[0], kind: kind, reference: DocumentNumber(try row[2]), customer: Customer.ID(try row[3]),
                            day: Day(ordinal: try row[4]), amount: Money(minorUnits: try row[5], currency: currency),
                            unapplied: Money(minorUnits: try row[6], currency: currency),
                            method: method.flatMap(PaymentMethod.init(rawValue:)), reversedOn: reversed.map(Day.init(ordinal:)))
    }

    func credit(kind: CreditKind, reference: DocumentNumber) throws -> StoredCredit? {
        try session.row("SELECT \(Self.creditColumns) FROM credit WHERE kind = $1 AND reference = $2\(forUpdate)", kind.rawValue, reference.rawValue)
            .map(Self.credit)
    }

    func credit(id: Int64) throws -> StoredCredit? {
        try session.row("SELECT \(Self.creditColumns) FROM credit WHERE id = $1\(forUpdate)", id).map(Self.credit)
    }

    static let allocationColumns = "a.id, a.kind, a.credit_id, a.open_item_id, a.customer_id, a.day, a.amount, c.currency, a.reversed_by"

    static func allocation(_ row: PostgresRowReader) throws -> AllocationRecord {
        let kindText: String = try row[1]
        guard let kind = AllocationKind(rawValue: kindText) else {
            throw StorageError(code: .incompatible, message: "unknown allocation kind \(kindText)")
        }
        return AllocationRecord(id: try row[0], kind: kind, credit: try row[2], item: try row[3], customer: Customer.ID(try row[4]),
                                day: Day(ordinal: try row[5]), amount: Money(minorUnits: try row[6], currency: try Self.currency(row[7])),
                                reversedBy: try row[8])
    }

    func allocation(id: Int64) throws -> AllocationRecord? {
        try session.row("SELECT \(Self.allocationColumns) FROM allocation a JOIN credit c ON c.id = a.credit_id WHERE a.id = $1\(forUpdate.of("a"))", id)
            .map(Self.allocation)
    }

    func liveAllocations(credit: Int64) throws -> [AllocationRecord] {
        try session.rows("""
            SELECT \(Self.allocationColumns) FROM allocation a JOIN credit c ON c.id = a.credit_id
            WHERE a.credit_id = $1 AND a.kind = 'allocation' AND a.reversed_by IS NULL ORDER BY a.id\(forUpdate.of("a"))
            """, credit).map(Self.allocation)
    }

    // MARK: writes

    func insertEntry(_ entry: JournalEntry, customer: Customer.ID?) throws -> Int64 {
        if let bulk = session.bulk, bulk.isFull { try bulk.flush(session) }
        let gathered = session.bulk != nil
        let id = try store(.entry, Rows.entry(entry, customer: customer), gathered: gathered)
        try store(.line, Rows.lines(of: entry, id: id), gathered: gathered)
        return id
    }

    func insertInvoice(_ invoice: Invoice, customer: Customer.ID, entry: JournalEntry) throws -> (id: Int64, items: [OpenItem]) {
        // The number first: a duplicate is refused before anything else of the invoice is written.
        let gathered = session.bulk?.invoiceNumbers != nil
        if gathered {
            guard session.bulk!.invoiceNumbers!.insert(invoice.number.rawValue).inserted else { throw Self.duplicate }
        } else if try session.row("SELECT 1 FROM invoice WHERE number = $1", invoice.number.rawValue) != nil {
            throw Self.duplicate
        }
        let entryID = try insertEntry(entry, customer: customer)
        let id = try store(.invoice, Rows.invoice(invoice, customer: customer, entry: entryID), unique: "number", gathered: gathered)
        try store(.invoiceLine, Rows.lines(of: invoice, id: id), gathered: gathered)
        var items: [OpenItem] = []
        for (index, part) in invoice.schedule.enumerated() {
            let itemID = try store(.item, Rows.item(part, seq: index + 1, of: invoice, id: id, customer: customer), gathered: gathered)
            items.append(OpenItem(id: itemID, customer: customer, issue: invoice.issue, due: part.due, amount: part.amount, open: part.amount))
        }
        return (id, items)
    }

    func insertCredit(_ credit: NewCredit, entry: Int64?) throws -> Int64 {
        let gathered = session.bulk?.creditReferences != nil
        if gathered {
            guard session.bulk!.creditReferences!.insert("\(credit.kind.rawValue):\(credit.reference.rawValue)").inserted else {
                throw Self.duplicate
            }
        }
        return try store(.credit, Rows.credit(credit, entry: entry), unique: "kind, reference", gathered: gathered)
    }

    func insertAllocation(_ allocation: NewAllocation) throws -> Int64 {
        // Gathered when the load knows the item's open amount (and so writes it back itself).
        if let bulk = session.bulk, allocation.item.map({ bulk.knows(item: $0.id) }) ?? true {
            try bulk.allocate(allocation.amount.minorUnits, item: allocation.item?.id, credit: allocation.credit.id)
            return try store(.allocation, Rows.allocation(allocation), gathered: true)
        }
        let id = try store(.allocation, Rows.allocation(allocation), gathered: false)
        if let item = allocation.item {
            try session.execute("UPDATE open_item SET amount_open = amount_open - $1 WHERE id = $2", allocation.amount.minorUnits, item.id)
        }
        try session.execute("UPDATE credit SET amount_unapplied = amount_unapplied - $1 WHERE id = $2",
                            allocation.amount.minorUnits, allocation.credit.id)
        return id
    }

    static let duplicate = StorageError(code: .duplicate, message: "a record with that key exists already")

    /// Writes one row of `table`, its values without the id, and returns the id: gathered for COPY during
    /// a load, else an INSERT. With `unique`, a duplicate of that key is `.duplicate` and the transaction
    /// goes on (see `PostgresSession.insert`).
    func store(_ table: PostgresBulk.Table, _ values: [StoredValue], unique: String? = nil, gathered: Bool) throws -> Int64 {
        if gathered, let bulk = session.bulk {
            let id = try bulk.nextID(table.name, session: session)
            bulk.add(table, [.integer(id)] + values)
            return id
        }
        let columns = table.columns.dropFirst()
        let marks = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
        let conflict = unique.map { " ON CONFLICT (\($0)) DO NOTHING" } ?? ""
        return try session.insert("INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(marks))\(conflict) RETURNING id",
                                  values)
    }

    /// Writes rows of a table without ids (lines): gathered during a load, else one multi-row INSERT.
    func store(_ table: PostgresBulk.Table, _ rows: [[StoredValue]], gathered: Bool) throws {
        if gathered, let bulk = session.bulk {
            for row in rows { bulk.add(table, row) }
            return
        }
        try insertRows(table.name, columns: table.columns, rows)
    }

    /// One multi-row INSERT for the rows of one document: one round trip instead of one per row.
    func insertRows(_ table: String, columns: [String], _ rows: [[any PostgresValue]]) throws {
        guard !rows.isEmpty else { return }
        var values: [any PostgresValue] = []
        var tuples: [String] = []
        for row in rows {
            let marks = (1...row.count).map { "$\(values.count + $0)" }.joined(separator: ", ")
            tuples.append("(\(marks))")
            values += row
        }
        try session.query("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))", values)
    }

    func markAllocationReversed(_ id: Int64, by reversal: Int64) throws {
        guard try session.execute("UPDATE allocation SET reversed_by = $1 WHERE id = $2 AND reversed_by IS NULL", reversal, id) == 1 else {
            throw StorageError(code: .constraint, message: "allocation \(id) has already been reversed")
        }
    }

    func markCreditReversed(_ id: Int64, day: Day, reason: String) throws {
        guard try session.execute("""
            UPDATE credit SET reversed_day = $1, reversal_reason = $2 WHERE id = $3 AND reversed_day IS NULL
            """, day.ordinal, reason, id) == 1 else {
            throw StorageError(code: .constraint, message: "credit \(id) has already been reversed")
        }
    }
}

extension String {
    /// `FOR UPDATE` narrowed to one table of a join (the other is only read).
    func of(_ table: String) -> String { isEmpty ? self : "\(self) OF \(table)" }
}
