import Bookkeeping
import GRDB
import Receivables

extension SQLiteTransaction {
    func invoice(number: DocumentNumber) throws -> StoredInvoice? {
        guard let row = try row("""
            SELECT i.id, i.customer_id, i.issue_day, i.amount, i.currency, i.description,
                   i.discount_until, i.discount_amount, i.discount_bp, c.code
            FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE i.number = ?
            """, [number.rawValue]) else { return nil }
        let id: Int64 = row[0]
        let currency = try Self.currency(row[4])
        let lines = try rows("SELECT description, net, vat_bp FROM invoice_line WHERE invoice_id = ? ORDER BY line_no", [id]).map {
            try InvoiceLine(description: $0[0], net: Money(minorUnits: $0[1], currency: currency), vatBasisPoints: $0[2])
        }
        let schedule = try openItems(invoice: id, all: true).map { ScheduledPart(due: $0.due, amount: $0.amount) }
        let invoice = Invoice(stored: number, customer: Customer.Code(row[9]), issue: Day(ordinal: row[2]),
                                  amount: Money(minorUnits: row[3], currency: currency), description: row[5],
                                  lines: lines, schedule: schedule,
                                  discount: (row[6] as Int32?).map { until in
                                      DiscountOffer(until: Day(ordinal: until), amount: Money(minorUnits: row[7], currency: currency),
                                                    basisPoints: row[8])
                                  })
        return StoredInvoice(id: id, customer: Customer.ID(row[1]), invoice: invoice)
    }

    static let itemColumns = "o.id, o.customer_id, o.issue_day, o.due_day, o.amount, o.amount_open, i.currency"

    static func item(_ row: Row) throws -> OpenItem {
        let currency = try Self.currency(row[6])
        return OpenItem(id: row[0], customer: Customer.ID(row[1]), issue: Day(ordinal: row[2]), due: Day(ordinal: row[3]),
                        amount: Money(minorUnits: row[4], currency: currency), open: Money(minorUnits: row[5], currency: currency))
    }

    func payable(invoice number: DocumentNumber) throws -> PayableInvoice? {
        let found = try rows("""
            SELECT i.id, i.customer_id, o.id, o.customer_id, o.issue_day, o.due_day, o.amount, o.amount_open, i.currency
            FROM invoice i LEFT JOIN open_item o ON o.invoice_id = i.id AND o.amount_open > 0
            WHERE i.number = ? ORDER BY o.seq
            """, [number.rawValue])
        guard let first = found.first else { return nil }
        let currency = try Self.currency(first[8])
        let items = found.compactMap { row -> OpenItem? in
            guard let id = row[2] as Int64? else { return nil }
            return OpenItem(id: id, customer: Customer.ID(row[3]), issue: Day(ordinal: row[4]), due: Day(ordinal: row[5]),
                            amount: Money(minorUnits: row[6], currency: currency), open: Money(minorUnits: row[7], currency: currency))
        }
        return PayableInvoice(id: first[0], customer: Customer.ID(first[1]), open: items)
    }

    func openItem(id: Int64) throws -> OpenItem? {
        try row("SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id WHERE o.id = ?", [id]).map(Self.item)
    }

    func openItems(invoice: Int64) throws -> [OpenItem] {
        try openItems(invoice: invoice, all: false)
    }

    func items(invoice: Int64) throws -> [OpenItem] {
        try openItems(invoice: invoice, all: true)
    }

    func openItems(invoice: Int64, all: Bool) throws -> [OpenItem] {
        try rows("""
            SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.invoice_id = ? AND (? OR o.amount_open > 0) ORDER BY o.seq
            """, [invoice, all]).map(Self.item)
    }

    func openItems(customer: Customer.ID) throws -> [OpenItem] {
        try rows("""
            SELECT \(Self.itemColumns) FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.customer_id = ? AND o.amount_open > 0
            """, [customer.rawValue]).map(Self.item)
    }

    func openInvoices(customer: Customer.ID) throws -> [OpenInvoice] {
        try rows("""
            SELECT i.number, i.issue_day, MIN(o.due_day), i.amount, SUM(o.amount_open), i.currency
            FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.customer_id = ? AND o.amount_open > 0
            GROUP BY i.id ORDER BY MIN(o.due_day), i.id
            """, [customer.rawValue]).map { row in
            let currency = try Self.currency(row[5])
            return OpenInvoice(number: DocumentNumber(row[0]), issue: Day(ordinal: row[1]), due: Day(ordinal: row[2]),
                               amount: Money(minorUnits: row[3], currency: currency), open: Money(minorUnits: row[4], currency: currency))
        }
    }

    func unappliedCredits(customer: Customer.ID) throws -> [StoredCredit] {
        try rows("SELECT \(Self.creditColumns) FROM credit WHERE customer_id = ? AND amount_unapplied > 0 ORDER BY day, id",
                 [customer.rawValue]).map(Self.credit)
    }

    func creditNotesTotal(invoice: Int64) throws -> Int64 {
        try row("SELECT COALESCE(SUM(amount), 0) FROM credit WHERE kind = 'credit_note' AND invoice_id = ?", [invoice])?[0] ?? 0
    }

    static let creditColumns = "id, kind, reference, customer_id, day, amount, amount_unapplied, currency, method, reversed_day"

    static func credit(_ row: Row) throws -> StoredCredit {
        let currency = try Self.currency(row[7])
        guard let kind = CreditKind(rawValue: row[1]) else {
            throw StorageError(code: .incompatible, message: "unknown credit kind \(row[1] as String)")
        }
        return StoredCredit(id: row[0], kind: kind, reference: DocumentNumber(row[2]), customer: Customer.ID(row[3]),
                            day: Day(ordinal: row[4]), amount: Money(minorUnits: row[5], currency: currency),
                            unapplied: Money(minorUnits: row[6], currency: currency),
                            method: (row[8] as String?).flatMap(PaymentMethod.init(rawValue:)),
                            reversedOn: (row[9] as Int32?).map(Day.init(ordinal:)))
    }

    func credit(kind: CreditKind, reference: DocumentNumber) throws -> StoredCredit? {
        try row("SELECT \(Self.creditColumns) FROM credit WHERE kind = ? AND reference = ?", [kind.rawValue, reference.rawValue])
            .map(Self.credit)
    }

    func credit(id: Int64) throws -> StoredCredit? {
        try row("SELECT \(Self.creditColumns) FROM credit WHERE id = ?", [id]).map(Self.credit)
    }

    static let allocationColumns = "a.id, a.kind, a.credit_id, a.open_item_id, a.customer_id, a.day, a.amount, c.currency, a.reversed_by"

    static func allocation(_ row: Row) throws -> AllocationRecord {
        guard let kind = AllocationKind(rawValue: row[1]) else {
            throw StorageError(code: .incompatible, message: "unknown allocation kind \(row[1] as String)")
        }
        return AllocationRecord(id: row[0], kind: kind, credit: row[2], item: row[3], customer: Customer.ID(row[4]),
                                day: Day(ordinal: row[5]), amount: Money(minorUnits: row[6], currency: try Self.currency(row[7])),
                                reversedBy: row[8])
    }

    func allocation(id: Int64) throws -> AllocationRecord? {
        try row("SELECT \(Self.allocationColumns) FROM allocation a JOIN credit c ON c.id = a.credit_id WHERE a.id = ?", [id])
            .map(Self.allocation)
    }

    func liveAllocations(credit: Int64) throws -> [AllocationRecord] {
        try rows("""
            SELECT \(Self.allocationColumns) FROM allocation a JOIN credit c ON c.id = a.credit_id
            WHERE a.credit_id = ? AND a.kind = 'allocation' AND a.reversed_by IS NULL ORDER BY a.id
            """, [credit]).map(Self.allocation)
    }

    // MARK: writes

    func insertEntry(_ entry: JournalEntry, customer: Customer.ID?) throws -> Int64 {
        let id = try insertRow("INSERT INTO journal_entry (day, kind, document, customer_id, currency) VALUES (?, ?, ?, ?, ?)",
                               entry.day.ordinal, entry.kind.rawValue, entry.document, customer?.rawValue,
                               entry.lines[0].amount.currency.code)
        for (index, line) in entry.lines.enumerated() {
            try run("INSERT INTO journal_line (entry_id, line_no, account, customer_id, amount) VALUES (?, ?, ?, ?, ?)",
                    id, index + 1, line.account.code, line.customer?.rawValue, line.amount.minorUnits)
        }
        return id
    }

    func insertInvoice(_ invoice: Invoice, customer: Customer.ID, entry: JournalEntry) throws -> (id: Int64, items: [OpenItem]) {
        let entryID = try insertEntry(entry, customer: customer)
        let id = try insertRow("""
            INSERT INTO invoice (number, customer_id, issue_day, amount, currency, description,
                                 discount_until, discount_amount, discount_bp, entry_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, invoice.number.rawValue, customer.rawValue, invoice.issue.ordinal, invoice.amount.minorUnits,
                               invoice.amount.currency.code, invoice.description, invoice.discount?.until.ordinal,
                               invoice.discount?.amount.minorUnits, invoice.discount?.basisPoints, entryID)
        for (index, line) in invoice.lines.enumerated() {
            try run("INSERT INTO invoice_line (invoice_id, line_no, description, net, vat_bp, vat) VALUES (?, ?, ?, ?, ?, ?)",
                    id, index + 1, line.description, line.net.minorUnits, line.vatBasisPoints, line.vat.minorUnits)
        }
        var items: [OpenItem] = []
        for (index, part) in invoice.schedule.enumerated() {
            let itemID = try insertRow("""
                INSERT INTO open_item (invoice_id, seq, customer_id, issue_day, due_day, amount, amount_open)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, id, index + 1, customer.rawValue, invoice.issue.ordinal, part.due.ordinal,
                                       part.amount.minorUnits, part.amount.minorUnits)
            items.append(OpenItem(id: itemID, customer: customer, issue: invoice.issue, due: part.due,
                                  amount: part.amount, open: part.amount))
        }
        return (id, items)
    }

    func insertCredit(_ credit: NewCredit, entry: Int64?) throws -> Int64 {
        try insertRow("""
            INSERT INTO credit (kind, reference, customer_id, day, amount, currency, method, invoice_id, memo,
                                amount_unapplied, entry_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, credit.kind.rawValue, credit.reference.rawValue, credit.customer.rawValue, credit.day.ordinal,
                      credit.amount.minorUnits, credit.amount.currency.code, credit.method?.rawValue, credit.invoice,
                      credit.memo, credit.amount.minorUnits, entry)
    }

    func insertAllocation(_ allocation: NewAllocation) throws -> Int64 {
        let id = try insertRow("""
            INSERT INTO allocation (kind, credit_id, open_item_id, customer_id, day, amount, credit_day,
                                    item_issue_day, item_due_day, reverses_id, entry_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, allocation.kind.rawValue, allocation.credit.id, allocation.item?.id, allocation.credit.customer.rawValue,
                               allocation.day.ordinal, allocation.amount.minorUnits, allocation.credit.day.ordinal,
                               allocation.item?.issue.ordinal, allocation.item?.due.ordinal, allocation.reverses, allocation.entry)
        if let item = allocation.item {
            try run("UPDATE open_item SET amount_open = amount_open - ? WHERE id = ?", allocation.amount.minorUnits, item.id)
        }
        try run("UPDATE credit SET amount_unapplied = amount_unapplied - ? WHERE id = ?",
                allocation.amount.minorUnits, allocation.credit.id)
        return id
    }

    func markAllocationReversed(_ id: Int64, by reversal: Int64) throws {
        try run("UPDATE allocation SET reversed_by = ? WHERE id = ? AND reversed_by IS NULL", reversal, id)
        guard db.changesCount == 1 else {
            throw StorageError(code: .constraint, message: "allocation \(id) has already been reversed")
        }
    }

    func markCreditReversed(_ id: Int64, day: Day, reason: String) throws {
        try run("UPDATE credit SET reversed_day = ?, reversal_reason = ? WHERE id = ? AND reversed_day IS NULL",
                day.ordinal, reason, id)
        guard db.changesCount == 1 else {
            throw StorageError(code: .constraint, message: "credit \(id) has already been reversed")
        }
    }
}
