import Bookkeeping
import GRDB
import Receivables

extension SQLiteTransaction {
    func invoices(_ filter: InvoiceFilter, customers: Set<Customer.ID>?) throws -> [InvoiceRow] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let customer = filter.customer {
            conditions.append("i.customer_id = ?")
            arguments.append(customer.rawValue)
        }
        if let customers {
            guard !customers.isEmpty else { return [] }
            conditions.append("i.customer_id IN (\(customers.map { String($0.rawValue) }.joined(separator: ",")))")
        }
        if let from = filter.issuedFrom {
            conditions.append("i.issue_day >= ?")
            arguments.append(from.ordinal)
        }
        if let to = filter.issuedTo {
            conditions.append("i.issue_day <= ?")
            arguments.append(to.ordinal)
        }
        // Newest first along the issue-day index, testing each invoice's items as it goes and stopping
        // at the page's end, rather than summing the items of every invoice first.
        switch filter.status {
        case .any: break
        case .open: conditions.append("EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0)")
        case .overdue:
            conditions.append("EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0 AND o.due_day < ?)")
            arguments.append(filter.today.ordinal)
        case .paid: conditions.append("NOT EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0)")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [filter.limit, filter.offset]
        return try rows("""
            SELECT i.number, i.customer_id, i.issue_day,
                   (SELECT MIN(o.due_day) FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0),
                   (SELECT MAX(o.due_day) FROM open_item o WHERE o.invoice_id = i.id),
                   i.amount, (SELECT SUM(o.amount_open) FROM open_item o WHERE o.invoice_id = i.id), i.currency
            FROM invoice i \(whereClause) ORDER BY i.issue_day DESC LIMIT ? OFFSET ?
            """, StatementArguments(arguments)).map { row in
            let currency = try Self.currency(row[7])
            let due: Int32 = (row[3] as Int32?) ?? row[4]
            return InvoiceRow(number: DocumentNumber(row[0]), customer: Customer.ID(row[1]), issue: Day(ordinal: row[2]),
                              due: Day(ordinal: due), amount: Money(minorUnits: row[5], currency: currency),
                              open: Money(minorUnits: row[6], currency: currency))
        }
    }

    func allocations(invoice: Int64) throws -> [InvoiceAllocation] {
        try rows("""
            SELECT \(Self.allocationColumns), c.kind, c.reference FROM allocation a
            JOIN credit c ON c.id = a.credit_id JOIN open_item o ON o.id = a.open_item_id
            WHERE o.invoice_id = ? ORDER BY a.id
            """, [invoice]).map { row in
            InvoiceAllocation(record: try Self.allocation(row), creditKind: CreditKind(rawValue: row[9]) ?? .receipt,
                              creditReference: DocumentNumber(row[10]))
        }
    }

    func journalEntries(_ ids: [Int64]) throws -> [(id: Int64, entry: JournalEntry)] {
        guard !ids.isEmpty, ids.count <= 1000 else { return [] }
        let list = ids.map(String.init).joined(separator: ",")
        var lines: [Int64: [JournalLine]] = [:]
        var headers: [(Int64, Day, EntryKind, String, Currency)] = []
        for row in try rows("SELECT id, day, kind, document, currency FROM journal_entry WHERE id IN (\(list)) ORDER BY day, id") {
            headers.append((row[0], Day(ordinal: row[1]), EntryKind(rawValue: row[2]) ?? .invoice, row[3], try Self.currency(row[4])))
        }
        let currencies = Dictionary(uniqueKeysWithValues: headers.map { ($0.0, $0.4) })
        for row in try rows("SELECT entry_id, account, customer_id, amount FROM journal_line WHERE entry_id IN (\(list)) ORDER BY entry_id, line_no") {
            let entry: Int64 = row[0]
            guard let currency = currencies[entry] else { continue }
            lines[entry, default: []].append(JournalLine(account: Account(row[1]), customer: (row[2] as Int64?).map(Customer.ID.init),
                                                         amount: Money(minorUnits: row[3], currency: currency)))
        }
        return headers.compactMap { id, day, kind, document, _ in
            guard let entryLines = lines[id], !entryLines.isEmpty else { return nil }
            return (id, JournalEntry(stored: day, kind: kind, document: document, lines: entryLines))
        }
    }

    func invoiceEntryIDs(invoice: Int64) throws -> [Int64] {
        try rows("""
            SELECT entry_id FROM invoice WHERE id = ?
            UNION SELECT a.entry_id FROM allocation a JOIN open_item o ON o.id = a.open_item_id
            WHERE o.invoice_id = ? AND a.entry_id IS NOT NULL
            """, [invoice, invoice]).map { $0[0] }
    }

    func itemsOpen(customer: Customer.ID, asOf: Day) throws -> [(invoice: DocumentNumber, item: OpenItem)] {
        try rows("""
            SELECT i.number, o.id, o.issue_day, o.due_day, o.amount, i.currency,
                   o.amount_open + COALESCE((SELECT SUM(a.amount) FROM allocation a WHERE a.open_item_id = o.id AND a.day > ?), 0) AS open_then
            FROM open_item o JOIN invoice i ON i.id = o.invoice_id
            WHERE o.customer_id = ? AND o.issue_day <= ? AND open_then > 0
            ORDER BY o.due_day, o.id
            """, [asOf.ordinal, customer.rawValue, asOf.ordinal]).map { row in
            let currency = try Self.currency(row[5])
            return (DocumentNumber(row[0]), OpenItem(id: row[1], customer: customer, issue: Day(ordinal: row[2]), due: Day(ordinal: row[3]),
                                                    amount: Money(minorUnits: row[4], currency: currency),
                                                    open: Money(minorUnits: row[6], currency: currency)))
        }
    }

    func journalEntryIDs(from: Day, to: Day, after: Int64, limit: Int) throws -> [Int64] {
        try rows("SELECT id FROM journal_entry WHERE id > ? AND day BETWEEN ? AND ? ORDER BY id LIMIT ?",
                 [after, from.ordinal, to.ordinal, limit]).map { $0[0] }
    }
}
