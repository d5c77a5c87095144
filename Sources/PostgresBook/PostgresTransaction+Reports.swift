import Bookkeeping
import Receivables

extension PostgresTransaction {
    func invoices(_ filter: InvoiceFilter, customers: Set<Customer.ID>?) throws -> [InvoiceRow] {
        var conditions: [String] = []
        var values: [any PostgresValue] = []
        func mark(_ value: any PostgresValue) -> String {
            values.append(value)
            return "$\(values.count)"
        }
        if let customer = filter.customer { conditions.append("i.customer_id = \(mark(customer.rawValue))") }
        if let customers {
            guard !customers.isEmpty else { return [] }
            conditions.append("i.customer_id IN (\(customers.map { String($0.rawValue) }.joined(separator: ",")))")
        }
        if let from = filter.issuedFrom { conditions.append("i.issue_day >= \(mark(from.ordinal))") }
        if let to = filter.issuedTo { conditions.append("i.issue_day <= \(mark(to.ordinal))") }
        switch filter.status {
        case .any: break
        case .open: conditions.append("EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0)")
        case .overdue:
            conditions.append("""
                EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0 AND o.due_day < \(mark(filter.today.ordinal)))
                """)
        case .paid: conditions.append("NOT EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0)")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let page = "LIMIT \(mark(filter.limit)) OFFSET \(mark(filter.offset))"
        return try session.rows("""
            SELECT i.number, i.customer_id, i.issue_day,
                   (SELECT MIN(o.due_day) FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0),
                   (SELECT MAX(o.due_day) FROM open_item o WHERE o.invoice_id = i.id),
                   i.amount, (SELECT SUM(o.amount_open)::bigint FROM open_item o WHERE o.invoice_id = i.id), i.currency
            FROM invoice i \(whereClause) ORDER BY i.issue_day DESC, i.id DESC \(page)
            """, arguments: values).map { row in
            let currency = try Self.currency(row[7])
            let due: Int32 = try (row[3] as Int32?) ?? row[4]
            return InvoiceRow(number: DocumentNumber(try row[0]), customer: Customer.ID(try row[1]), issue: Day(ordinal: try row[2]),
                              due: Day(ordinal: due), amount: Money(minorUnits: try row[5], currency: currency),
                              open: Money(minorUnits: try row[6], currency: currency))
        }
    }

    func allocations(invoice: Int64) throws -> [InvoiceAllocation] {
        try session.rows("""
            SELECT \(Self.allocationColumns), c.kind, c.reference FROM allocation a
            JOIN credit c ON c.id = a.credit_id JOIN open_item o ON o.id = a.open_item_id
            WHERE o.invoice_id = $1 ORDER BY a.id
            """, invoice).map { row in
            InvoiceAllocation(record: try Self.allocation(row), creditKind: CreditKind(rawValue: try row[9]) ?? .receipt,
                              creditReference: DocumentNumber(try row[10]))
        }
    }

    func journalEntries(_ ids: [Int64]) throws -> [(id: Int64, entry: JournalEntry)] {
        guard !ids.isEmpty, ids.count <= 1000 else { return [] }
        let list = ids.map(String.init).joined(separator: ",")
        var lines: [Int64: [JournalLine]] = [:]
        var headers: [(Int64, Day, EntryKind, String, Currency)] = []
        for row in try session.rows("SELECT id, day, kind, document, currency FROM journal_entry WHERE id IN (\(list)) ORDER BY day, id") {
            headers.append((try row[0], Day(ordinal: try row[1]), EntryKind(rawValue: try row[2]) ?? .invoice, try row[3],
                            try Self.currency(row[4])))
        }
        let currencies = Dictionary(uniqueKeysWithValues: headers.map { ($0.0, $0.4) })
        for row in try session.rows("""
            SELECT entry_id, account, customer_id, amount FROM journal_line WHERE entry_id IN (\(list)) ORDER BY entry_id, line_no
            """) {
            let entry: Int64 = try row[0]
            guard let currency = currencies[entry] else { continue }
            let customer: Int64? = try row[2]
            lines[entry, default: []].append(JournalLine(account: Account(try row[1]), customer: customer.map(Customer.ID.init),
                                                         amount: Money(minorUnits: try row[3], currency: currency)))
        }
        return headers.compactMap { id, day, kind, document, _ in
            guard let entryLines = lines[id], !entryLines.isEmpty else { return nil }
            return (id, JournalEntry(stored: day, kind: kind, document: document, lines: entryLines))
        }
    }

    func invoiceEntryIDs(invoice: Int64) throws -> [Int64] {
        try session.rows("""
            SELECT entry_id FROM invoice WHERE id = $1
            UNION SELECT a.entry_id FROM allocation a JOIN open_item o ON o.id = a.open_item_id
            WHERE o.invoice_id = $1 AND a.entry_id IS NOT NULL
            """, invoice).map { try $0[0] }
    }

    func itemsOpen(customer: Customer.ID, asOf: Day) throws -> [(invoice: DocumentNumber, item: OpenItem)] {
        try session.rows("""
            SELECT number, id, issue_day, due_day, amount, currency, open_then FROM (
                SELECT i.number, o.id, o.issue_day, o.due_day, o.amount, i.currency,
                       o.amount_open + COALESCE((SELECT SUM(a.amount) FROM allocation a WHERE a.open_item_id = o.id AND a.day > $1), 0)::bigint
                       AS open_then
                FROM open_item o JOIN invoice i ON i.id = o.invoice_id
                WHERE o.customer_id = $2 AND o.issue_day <= $1) items
            WHERE open_then > 0 ORDER BY due_day, id
            """, asOf.ordinal, customer.rawValue).map { row in
            let currency = try Self.currency(row[5])
            return (DocumentNumber(try row[0]), OpenItem(id: try row[1], customer: customer, issue: Day(ordinal: try row[2]),
                                                        due: Day(ordinal: try row[3]), amount: Money(minorUnits: try row[4], currency: currency),
                                                        open: Money(minorUnits: try row[6], currency: currency)))
        }
    }

    func journalEntryIDs(from: Day, to: Day, after: Int64, limit: Int) throws -> [Int64] {
        try session.rows("SELECT id FROM journal_entry WHERE id > $1 AND day BETWEEN $2 AND $3 ORDER BY id LIMIT $4",
                         after, from.ordinal, to.ordinal, limit).map { try $0[0] }
    }

    // MARK: aging and the dashboard

    func visitOpenAmounts(asOf: Day, _ body: (OpenAmount) throws -> Void) throws {
        let day = asOf.ordinal
        try session.each("""
            SELECT customer_id, issue_day, due_day, amount_open FROM open_item WHERE amount_open > 0 AND issue_day <= $1
            UNION ALL
            SELECT customer_id, item_issue_day, item_due_day, amount FROM allocation WHERE day > $1 AND item_issue_day <= $1
            """, [day]) { row in
            try body(OpenAmount(customer: Customer.ID(try row[0]), issue: Day(ordinal: try row[1]), due: Day(ordinal: try row[2]),
                                minorUnits: try row[3]))
        }
    }

    func visitUnappliedAmounts(asOf: Day, _ body: (UnappliedAmount) throws -> Void) throws {
        try session.each("""
            SELECT customer_id, SUM(amount_unapplied)::bigint FROM credit WHERE amount_unapplied > 0 AND day <= $1 GROUP BY customer_id
            UNION ALL
            SELECT customer_id, amount FROM allocation WHERE day > $1 AND credit_day <= $1
            """, [asOf.ordinal]) { row in
            try body(UnappliedAmount(customer: Customer.ID(try row[0]), minorUnits: try row[1]))
        }
    }

    func ledgerMovements(customer: Customer.ID, from: Day?, to: Day, chart: Chart) throws -> (opening: Int64, movements: [CustomerLedger.Movement]) {
        var movements: [CustomerLedger.Movement] = []
        var fromOnwards: Int64 = 0
        for row in try session.rows("""
            SELECT e.id, e.day, e.kind, e.document, SUM(l.amount)::bigint
            FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
            WHERE e.customer_id = $1 AND e.day >= $2 AND l.customer_id = $1 AND l.account IN ($3, $4)
            GROUP BY e.id HAVING SUM(l.amount) <> 0 ORDER BY e.day, e.id
            """, customer.rawValue, (from ?? Day(ordinal: .min)).ordinal, chart.receivables.code, chart.advances.code) {
            let amount: Int64 = try row[4]
            fromOnwards += amount
            let day = Day(ordinal: try row[1])
            guard day <= to else { continue }
            movements.append(CustomerLedger.Movement(day: day, sequence: try row[0], kind: EntryKind(rawValue: try row[2]) ?? .invoice,
                                                     document: try row[3], description: "", amount: amount))
        }
        guard from != nil else { return (0, movements) }
        let position: Int64 = try session.row("""
            SELECT ((SELECT COALESCE(SUM(amount_open), 0) FROM open_item WHERE customer_id = $1 AND amount_open > 0)
                 - (SELECT COALESCE(SUM(amount_unapplied), 0) FROM credit WHERE customer_id = $1 AND amount_unapplied > 0))::bigint
            """, customer.rawValue).map { try $0[0] as Int64? ?? 0 } ?? 0
        return (position - fromOnwards, movements)
    }

    func invoicedPerCustomer(from: Day, to: Day) throws -> [Customer.ID: Int64] {
        var totals: [Customer.ID: Int64] = [:]
        for row in try session.rows("""
            SELECT customer_id, SUM(amount)::bigint FROM invoice WHERE issue_day BETWEEN $1 AND $2 GROUP BY customer_id
            """, from.ordinal, to.ordinal) {
            totals[Customer.ID(try row[0])] = try row[1]
        }
        return totals
    }

    func recentReceipts(limit: Int) throws -> [StoredCredit] {
        try session.rows("SELECT \(Self.creditColumns) FROM credit WHERE kind = 'receipt' ORDER BY id DESC LIMIT $1", limit).map(Self.credit)
    }

    // MARK: check

    /// The figures `check` compares, summed by PostgreSQL: per customer, per entry, and only the
    /// rows that disagree come back.
    func checkFigures(chart: Chart) throws -> CheckFigures {
        var figures = CheckFigures()
        for row in try session.rows("""
            SELECT l.entry_id, e.document, l.total FROM (
                SELECT entry_id, SUM(amount)::bigint AS total FROM journal_line GROUP BY entry_id HAVING SUM(amount) <> 0 LIMIT 1000) l
            JOIN journal_entry e ON e.id = l.entry_id ORDER BY l.entry_id
            """) {
            figures.unbalanced.append(.init(entry: try row[0], document: try row[1], difference: try row[2]))
        }
        figures.entries = try session.row("SELECT count(*) FROM journal_entry").map { try $0[0] as Int } ?? 0
        for row in try session.rows("""
            SELECT customer_id, account, SUM(amount)::bigint FROM journal_line
            WHERE customer_id IS NOT NULL AND account IN ($1, $2) GROUP BY customer_id, account
            """, chart.receivables.code, chart.advances.code) {
            let customer = Customer.ID(try row[0]), account: String = try row[1], total: Int64 = try row[2]
            guard total != 0 else { continue }
            if account == chart.receivables.code { figures.receivablesAccount[customer] = total } else { figures.advancesAccount[customer] = -total }
        }
        for row in try session.rows("SELECT customer_id, SUM(amount_open)::bigint FROM open_item GROUP BY customer_id HAVING SUM(amount_open) <> 0") {
            figures.openItems[Customer.ID(try row[0])] = try row[1]
        }
        for row in try session.rows("""
            SELECT customer_id, SUM(amount_unapplied)::bigint FROM credit GROUP BY customer_id HAVING SUM(amount_unapplied) <> 0
            """) {
            figures.unappliedCredits[Customer.ID(try row[0])] = try row[1]
        }
        figures.itemsOutOfStep = try discrepancies(table: "open_item", stored: "amount_open", key: "open_item_id")
        figures.creditsOutOfStep = try discrepancies(table: "credit", stored: "amount_unapplied", key: "credit_id")
        return figures
    }

    /// Rows whose stored amount is not their amount less their allocations.
    private func discrepancies(table: String, stored: String, key: String) throws -> [CheckFigures.Discrepancy] {
        try session.rows("""
            SELECT t.id, t.\(stored), t.amount - COALESCE(a.total, 0)::bigint FROM \(table) t
            LEFT JOIN (SELECT \(key) AS id, SUM(amount) AS total FROM allocation WHERE \(key) IS NOT NULL GROUP BY \(key)) a ON a.id = t.id
            WHERE t.\(stored) <> t.amount - COALESCE(a.total, 0) ORDER BY t.id LIMIT 1000
            """).map { .init(id: try $0[0], stored: try $0[1], derived: try $0[2]) }
    }
}
