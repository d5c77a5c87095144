import Bookkeeping
import Receivables

/// Invoices, their open items, credits and allocations.
extension SQLBookTransaction {
    public func invoice(number: DocumentNumber) throws -> StoredInvoice? {
        guard let head = try sql.row("""
            SELECT i.id, i.customer_id, i.issue_day, i.amount, i.currency, i.description,
                   i.discount_until, i.discount_amount, i.discount_bp, c.code
            FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE i.number = \(number)
            """, { row in
                let currency = try StoredTextParser.currency(row[4])
                let until: Day? = try row[6]
                let discount = try until.map { DiscountOffer(until: $0, amount: Money(minorUnits: try row[7], currency: currency),
                                                             basisPoints: try row[8]) }
                return (id: try row[0] as Invoice.ID, customer: try row[1] as Customer.ID, code: try row[9] as Customer.Code,
                        issue: try row[2] as Day, amount: Money(minorUnits: try row[3], currency: currency),
                        description: try row[5] as String, discount: discount)
            }) else { return nil }
        let currency = head.amount.currency
        let lines = try sql.rows("SELECT description, net, vat_bp FROM invoice_line WHERE invoice_id = \(head.id) ORDER BY line_no") {
            try InvoiceLine(description: $0[0], net: Money(minorUnits: $0[1], currency: currency), vatBasisPoints: $0[2])
        }
        let schedule = try items(invoice: head.id).map { ScheduledPart(due: $0.due, amount: $0.amount) }
        let invoice = Invoice(stored: number, customer: head.code, issue: head.issue, amount: head.amount, description: head.description,
                              lines: lines, schedule: schedule, discount: head.discount)
        return StoredInvoice(id: head.id, customer: head.customer, invoice: invoice)
    }

    public static var itemColumns: SQL { "o.id, o.customer_id, o.issue_day, o.due_day, o.amount, o.amount_open, i.currency" }

    public static func item(_ row: Executor.Row) throws -> OpenItem {
        let currency = try StoredTextParser.currency(row[6])
        return OpenItem(id: try row[0], customer: try row[1], issue: try row[2], due: try row[3],
                        amount: Money(minorUnits: try row[4], currency: currency), open: Money(minorUnits: try row[5], currency: currency))
    }

    public func payable(invoice number: DocumentNumber) throws -> PayableInvoice? {
        if let known = bulk?.payable(invoice: number) { return known }
        guard let invoice = try sql.row("SELECT id, customer_id FROM invoice WHERE number = \(number)", {
            (id: try $0[0] as Invoice.ID, customer: try $0[1] as Customer.ID)
        }) else { return nil }
        return PayableInvoice(id: invoice.id, customer: invoice.customer, open: try openItems(invoice: invoice.id))
    }

    public func openItem(id: OpenItem.ID) throws -> OpenItem? {
        try sql.row("SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id WHERE o.id = \(id)\(locking("o"))",
                    Self.item)
    }

    public func openItems(invoice: Invoice.ID) throws -> [OpenItem] {
        try sql.rows("""
            SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.invoice_id = \(invoice) AND o.amount_open > 0 ORDER BY o.seq\(locking("o"))
            """, Self.item)
    }

    public func items(invoice: Invoice.ID) throws -> [OpenItem] {
        try sql.rows("""
            SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id WHERE o.invoice_id = \(invoice) ORDER BY o.seq
            """, Self.item)
    }

    public func openItems(customer: Customer.ID) throws -> [OpenItem] {
        if let known = bulk?.openItems(customer: customer) { return known }
        // In id order: two writers locking a customer's items take them in the same order.
        return try sql.rows("""
            SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.customer_id = \(customer) AND o.amount_open > 0 ORDER BY o.id\(locking("o"))
            """, Self.item)
    }

    public func openInvoices(customer: Customer.ID) throws -> [OpenInvoice] {
        try sql.rows("""
            SELECT i.number, i.issue_day, MIN(o.due_day), i.amount, CAST(SUM(o.amount_open) AS BIGINT), i.currency
            FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.customer_id = \(customer) AND o.amount_open > 0
            GROUP BY i.id ORDER BY MIN(o.due_day), i.id
            """) { row in
            let currency = try StoredTextParser.currency(row[5])
            return OpenInvoice(number: try row[0], issue: try row[1], due: try row[2],
                               amount: Money(minorUnits: try row[3], currency: currency), open: Money(minorUnits: try row[4], currency: currency))
        }
    }

    // MARK: credits

    static var creditColumns: SQL { "id, kind, reference, customer_id, day, amount, amount_unapplied, currency, method, reversed_day" }

    static func credit(_ row: Executor.Row) throws -> StoredCredit {
        let currency = try StoredTextParser.currency(row[7])
        let kindText: String = try row[1]
        guard let kind = CreditKind(rawValue: kindText) else {
            throw StorageError(code: .incompatible, message: "unknown credit kind \(kindText)")
        }
        let method: String? = try row[8]
        return StoredCredit(id: try row[0], kind: kind, reference: try row[2], customer: try row[3], day: try row[4],
                            amount: Money(minorUnits: try row[5], currency: currency),
                            unapplied: Money(minorUnits: try row[6], currency: currency),
                            method: method.flatMap(PaymentMethod.init(rawValue:)), reversedOn: try row[9])
    }

    public func unappliedCredits(customer: Customer.ID) throws -> [StoredCredit] {
        try sql.rows("""
            SELECT \(Self.creditColumns) FROM credit WHERE customer_id = \(customer) AND amount_unapplied > 0 ORDER BY day, id\(locking())
            """, Self.credit)
    }

    public func credit(kind: CreditKind, reference: DocumentNumber) throws -> StoredCredit? {
        try sql.row("SELECT \(Self.creditColumns) FROM credit WHERE kind = \(kind.rawValue) AND reference = \(reference)\(locking())",
                    Self.credit)
    }

    public func credit(id: Credit.ID) throws -> StoredCredit? {
        try sql.row("SELECT \(Self.creditColumns) FROM credit WHERE id = \(id)\(locking())", Self.credit)
    }

    public func creditNotesTotal(invoice: Invoice.ID, currency: Currency) throws -> Money {
        let total: Int64 = try sql.value("""
            SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM credit WHERE kind = 'credit_note' AND invoice_id = \(invoice)
            """) ?? 0
        return Money(minorUnits: total, currency: currency)
    }

    // MARK: allocations

    static var allocationColumns: SQL { "a.id, a.kind, a.credit_id, a.open_item_id, a.customer_id, a.day, a.amount, c.currency, a.reversed_by" }

    static func allocation(_ row: Executor.Row) throws -> AllocationRecord {
        let kindText: String = try row[1]
        guard let kind = AllocationKind(rawValue: kindText) else {
            throw StorageError(code: .incompatible, message: "unknown allocation kind \(kindText)")
        }
        return AllocationRecord(id: try row[0], kind: kind, credit: try row[2], item: try row[3], customer: try row[4], day: try row[5],
                                amount: Money(minorUnits: try row[6], currency: try StoredTextParser.currency(row[7])),
                                reversedBy: try row[8])
    }

    public func allocation(id: AllocationRecord.ID) throws -> AllocationRecord? {
        try sql.row("""
            SELECT \(Self.allocationColumns) FROM allocation a JOIN credit c ON c.id = a.credit_id WHERE a.id = \(id)\(locking("a"))
            """, Self.allocation)
    }

    public func liveAllocations(credit: Credit.ID) throws -> [AllocationRecord] {
        try sql.rows("""
            SELECT \(Self.allocationColumns) FROM allocation a JOIN credit c ON c.id = a.credit_id
            WHERE a.credit_id = \(credit) AND a.kind = 'allocation' AND a.reversed_by IS NULL ORDER BY a.id\(locking("a"))
            """, Self.allocation)
    }

    // MARK: writes

    public func insertEntry(_ entry: JournalEntry, customer: Customer.ID?) throws -> JournalEntry.ID {
        let id = JournalEntry.ID(try store(.entry, DocumentRows.entry(entry, customer: customer)))
        try storeRows(.line, DocumentRows.lines(of: entry, id: id))
        return id
    }

    /// A duplicate number is `.duplicate`; what was written of the invoice before (its entry) goes
    /// with the transaction or savepoint the caller then rolls back.
    public func insertInvoice(_ invoice: Invoice, customer: Customer.ID, entry: JournalEntry) throws -> (id: Invoice.ID, items: [OpenItem]) {
        let entryID = try insertEntry(entry, customer: customer)
        let id = Invoice.ID(try store(.invoice, DocumentRows.invoice(invoice, customer: customer, entry: entryID)))
        try storeRows(.invoiceLine, DocumentRows.lines(of: invoice, id: id))
        var items: [OpenItem] = []
        for (index, part) in invoice.schedule.enumerated() {
            let itemID = OpenItem.ID(try store(.item, DocumentRows.item(part, seq: index + 1, of: invoice, id: id, customer: customer)))
            items.append(OpenItem(id: itemID, customer: customer, issue: invoice.issue, due: part.due, amount: part.amount, open: part.amount))
        }
        return (id, items)
    }

    public func insertCredit(_ credit: NewCredit, entry: JournalEntry.ID?) throws -> Credit.ID {
        Credit.ID(try store(.credit, DocumentRows.credit(credit, entry: entry)))
    }

    public func insertAllocation(_ allocation: NewAllocation) throws -> AllocationRecord.ID {
        if let bulk, let id = try bulk.allocate(allocation) { return AllocationRecord.ID(id) }
        let id = AllocationRecord.ID(try store(.allocation, DocumentRows.allocation(allocation)))
        let amount = allocation.amount.minorUnits
        if let item = allocation.item {
            try sql.execute("UPDATE open_item SET amount_open = amount_open - \(amount) WHERE id = \(item.id)")
        }
        try sql.execute("UPDATE credit SET amount_unapplied = amount_unapplied - \(amount) WHERE id = \(allocation.credit.id)")
        return id
    }

    public func markAllocationReversed(_ id: AllocationRecord.ID, by reversal: AllocationRecord.ID) throws {
        guard try sql.execute("UPDATE allocation SET reversed_by = \(reversal) WHERE id = \(id) AND reversed_by IS NULL") == 1 else {
            throw StorageError(code: .constraint, message: "allocation \(id) has already been reversed")
        }
    }

    public func markCreditReversed(_ id: Credit.ID, day: Day, reason: String) throws {
        guard try sql.execute("""
            UPDATE credit SET reversed_day = \(day), reversal_reason = \(reason) WHERE id = \(id) AND reversed_day IS NULL
            """) == 1 else {
            throw StorageError(code: .constraint, message: "credit \(id) has already been reversed")
        }
    }
}
