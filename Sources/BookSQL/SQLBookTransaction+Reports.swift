import Bookkeeping
import Receivables

/// Lists, ledgers and the reads that reports stream.
extension SQLBookTransaction {
    /// The WHERE clause of the invoices `filter` selects among `customers` (nil: all); nil when it selects none.
    private func invoiceWhere(_ filter: InvoiceFilter, customers: Set<Customer.ID>?) -> SQL? {
        var conditions: [SQL] = []
        if let customer = filter.customer { conditions.append("i.customer_id = \(customer)") }
        if let customers {
            guard !customers.isEmpty else { return nil }
            conditions.append("i.customer_id IN (\(raw: Self.integerList(customers.map(\.rawValue))))")
        }
        if let number = filter.number, !number.isEmpty {
            // LIKE with its wildcards escaped: the text is matched as typed, anywhere in the number.
            conditions.append("i.number LIKE \(Self.containing(number)) ESCAPE '!'")
        }
        if let from = filter.issuedFrom { conditions.append("i.issue_day >= \(from)") }
        if let to = filter.issuedTo { conditions.append("i.issue_day <= \(to)") }
        // Newest first along the issue-day index, testing each invoice's items as it goes and stopping
        // at the page's end, rather than summing the items of every invoice first.
        switch filter.status {
        case .any: break
        case .open: conditions.append("EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0)")
        case .overdue:
            conditions.append("EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0 AND o.due_day < \(filter.today))")
        case .paid: conditions.append("NOT EXISTS (SELECT 1 FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0)")
        }
        return conditions.isEmpty ? SQL("") : "WHERE " + SQL.joined(conditions, separator: " AND ")
    }

    public func invoiceTotals(_ filter: InvoiceFilter, customers: Set<Customer.ID>?) throws -> ListTotals {
        guard let whereClause = invoiceWhere(filter, customers: customers) else { return ListTotals(count: 0, amount: [:], open: [:]) }
        var count = 0
        var amount: [Currency: Money] = [:], open: [Currency: Money] = [:]
        try sql.query("""
            SELECT i.currency, COUNT(*), CAST(SUM(i.amount) AS BIGINT),
                   CAST(SUM((SELECT COALESCE(SUM(o.amount_open), 0) FROM open_item o WHERE o.invoice_id = i.id)) AS BIGINT)
            FROM invoice i \(whereClause) GROUP BY i.currency ORDER BY i.currency
            """) { row in
            let currency = try StoredTextParser.currency(row[0])
            count += Int(try row[1] as Int64)
            amount[currency] = Money(minorUnits: try row[2], currency: currency)
            open[currency] = Money(minorUnits: try row[3], currency: currency)
        }
        return ListTotals(count: count, amount: amount, open: open)
    }

    public func invoices(_ filter: InvoiceFilter, customers: Set<Customer.ID>?) throws -> [InvoiceRow] {
        guard let whereClause = invoiceWhere(filter, customers: customers) else { return [] }
        return try sql.rows("""
            SELECT i.number, i.customer_id, i.issue_day,
                   (SELECT MIN(o.due_day) FROM open_item o WHERE o.invoice_id = i.id AND o.amount_open > 0),
                   (SELECT MAX(o.due_day) FROM open_item o WHERE o.invoice_id = i.id),
                   i.amount, (SELECT CAST(SUM(o.amount_open) AS BIGINT) FROM open_item o WHERE o.invoice_id = i.id), i.currency
            FROM invoice i \(whereClause) ORDER BY i.issue_day DESC, i.id DESC LIMIT \(filter.limit) OFFSET \(filter.offset)
            """) { row in
            let currency = try StoredTextParser.currency(row[7])
            let due: Day = try (row[3] as Day?) ?? row[4]
            return InvoiceRow(number: try row[0], customer: try row[1], issue: try row[2], due: due,
                              amount: Money(minorUnits: try row[5], currency: currency), open: Money(minorUnits: try row[6], currency: currency))
        }
    }

    /// A LIKE pattern (escape character '!') matching text that contains `text` as typed: its wildcards escaped.
    static func containing(_ text: String) -> String {
        var pattern = "%"
        for character in text {
            if character == "!" || character == "%" || character == "_" { pattern.append("!") }
            pattern.append(character)
        }
        return pattern + "%"
    }

    /// Integers written into the text of a statement (ids the book gave, never input): a list of any
    /// length without a placeholder for each.
    static func integerList(_ values: some Sequence<Int64>) -> String {
        values.map(String.init).joined(separator: ",")
    }

    public func allocations(invoice: Invoice.ID) throws -> [InvoiceAllocation] {
        try sql.rows("""
            SELECT \(Self.allocationColumns), c.kind, c.reference FROM allocation a
            JOIN credit c ON c.id = a.credit_id JOIN open_item o ON o.id = a.open_item_id
            WHERE o.invoice_id = \(invoice) ORDER BY a.id
            """) { row in
            InvoiceAllocation(record: try Self.allocation(row), creditKind: CreditKind(rawValue: try row[9]) ?? .receipt,
                              creditReference: try row[10])
        }
    }

    public func journalEntries(_ ids: [JournalEntry.ID]) throws -> [(id: JournalEntry.ID, entry: JournalEntry)] {
        guard !ids.isEmpty, ids.count <= 1000 else { return [] }
        let list = Self.integerList(ids.map(\.rawValue))
        let headers = try sql.rows("SELECT id, day, kind, document, currency FROM journal_entry WHERE id IN (\(raw: list)) ORDER BY day, id") {
            (id: try $0[0] as JournalEntry.ID, day: try $0[1] as Day, kind: EntryKind(rawValue: try $0[2]) ?? .invoice, document: try $0[3] as String,
             currency: try StoredTextParser.currency($0[4]))
        }
        let currencies = Dictionary(uniqueKeysWithValues: headers.map { ($0.id, $0.currency) })
        var lines: [JournalEntry.ID: [JournalLine]] = [:]
        try sql.query("SELECT entry_id, account, customer_id, amount FROM journal_line WHERE entry_id IN (\(raw: list)) ORDER BY entry_id, line_no") { row in
            let entry: JournalEntry.ID = try row[0]
            guard let currency = currencies[entry] else { return }
            lines[entry, default: []].append(JournalLine(account: Account(try row[1]), customer: try row[2],
                                                         amount: Money(minorUnits: try row[3], currency: currency)))
        }
        return headers.compactMap { header in
            guard let entryLines = lines[header.id], !entryLines.isEmpty else { return nil }
            return (header.id, JournalEntry(stored: header.day, kind: header.kind, document: header.document, lines: entryLines))
        }
    }

    public func invoiceEntryIDs(invoice: Invoice.ID) throws -> [JournalEntry.ID] {
        try sql.rows("""
            SELECT entry_id FROM invoice WHERE id = \(invoice)
            UNION SELECT a.entry_id FROM allocation a JOIN open_item o ON o.id = a.open_item_id
            WHERE o.invoice_id = \(invoice) AND a.entry_id IS NOT NULL
            """) { try $0[0] }
    }

    public func itemsOpen(customer: Customer.ID, asOf: Day) throws -> [(invoice: DocumentNumber, item: OpenItem)] {
        try sql.rows("""
            SELECT number, id, issue_day, due_day, amount, currency, open_then FROM (
                SELECT i.number, o.id, o.issue_day, o.due_day, o.amount, i.currency,
                       o.amount_open + CAST(COALESCE((SELECT SUM(a.amount) FROM allocation a WHERE a.open_item_id = o.id AND a.day > \(asOf)), 0)
                                            AS BIGINT) AS open_then
                FROM open_item o JOIN invoice i ON i.id = o.invoice_id
                WHERE o.customer_id = \(customer) AND o.issue_day <= \(asOf)) items
            WHERE open_then > 0 ORDER BY due_day, id
            """) { row in
            let currency = try StoredTextParser.currency(row[5])
            return (try row[0], OpenItem(id: try row[1], customer: customer, issue: try row[2], due: try row[3],
                                         amount: Money(minorUnits: try row[4], currency: currency),
                                         open: Money(minorUnits: try row[6], currency: currency)))
        }
    }

    public func journalEntryIDs(from: Day, to: Day, after: JournalEntry.ID, limit: Int) throws -> [JournalEntry.ID] {
        try sql.rows("SELECT id FROM journal_entry WHERE id > \(after) AND day BETWEEN \(from) AND \(to) ORDER BY id LIMIT \(limit)") {
            try $0[0]
        }
    }

    // MARK: aging and the dashboard

    /// Items open today (from the partial index of open items) plus, for a past day, the allocations
    /// dated after it: together they are what was open on that day.
    @inlinable
    public func visitOpenAmounts(asOf: Day, _ body: (OpenAmount) throws -> Void) throws {
        try sql.stream("SELECT customer_id, issue_day, due_day, amount_open FROM open_item WHERE amount_open > 0 AND issue_day <= \(asOf)") { row in
            try body(OpenAmount(customer: Customer.ID(try row.int64(0)), issue: try row.day(1), due: try row.day(2), minorUnits: try row.int64(3)))
        }
        try sql.stream("""
            SELECT customer_id, item_issue_day, item_due_day, amount FROM allocation WHERE day > \(asOf) AND item_issue_day <= \(asOf)
            """) { row in
            try body(OpenAmount(customer: Customer.ID(try row.int64(0)), issue: try row.day(1), due: try row.day(2), minorUnits: try row.int64(3)))
        }
    }

    @inlinable
    public func visitUnappliedAmounts(asOf: Day, _ body: (UnappliedAmount) throws -> Void) throws {
        // Summed per customer by the engine: one row per customer.
        try sql.stream("""
            SELECT customer_id, CAST(SUM(amount_unapplied) AS BIGINT) FROM credit WHERE amount_unapplied > 0 AND day <= \(asOf)
            GROUP BY customer_id
            """) { row in
            try body(UnappliedAmount(customer: Customer.ID(try row.int64(0)), minorUnits: try row.int64(1)))
        }
        try sql.stream("SELECT customer_id, amount FROM allocation WHERE day > \(asOf) AND credit_day <= \(asOf)") { row in
            try body(UnappliedAmount(customer: Customer.ID(try row.int64(0)), minorUnits: try row.int64(1)))
        }
    }

    public func ledgerMovements(customer: Customer.ID, currency: Currency, from: Day?, to: Day, chart: Chart) throws
        -> (opening: Money, movements: [CustomerLedger.Movement]) {
        var movements: [CustomerLedger.Movement] = []
        var fromOnwards: Int64 = 0
        // Every movement from `from` on, also those after `to`: the opening balance is the customer's
        // position today less all of them.
        try sql.query("""
            SELECT e.id, e.day, e.kind, e.document, CAST(SUM(l.amount) AS BIGINT)
            FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
            WHERE e.customer_id = \(customer) AND e.day >= \(from ?? Day(ordinal: .min)) AND l.customer_id = \(customer)
              AND l.account IN (\(chart.receivables.code), \(chart.advances.code))
            GROUP BY e.id HAVING SUM(l.amount) <> 0 ORDER BY e.day, e.id
            """) { row in
            let amount: Int64 = try row[4]
            fromOnwards = try Money.total([fromOnwards, amount])
            let day: Day = try row[1]
            guard day <= to else { return }
            movements.append(CustomerLedger.Movement(day: day, sequence: try row[0], kind: EntryKind(rawValue: try row[2]) ?? .invoice,
                                                     document: try row[3], description: "",
                                                     amount: Money(minorUnits: amount, currency: currency)))
        }
        guard from != nil else { return (.zero(currency), movements) }
        // The position today from the open items and unapplied credits, which the book keeps equal to the
        // customer's receivables and advances (what `check` verifies): summing every journal line before
        // `from` would read the customer's whole history.
        let open: Int64 = try sql.value("""
            SELECT CAST(COALESCE(SUM(amount_open), 0) AS BIGINT) FROM open_item WHERE customer_id = \(customer) AND amount_open > 0
            """) ?? 0
        let unapplied: Int64 = try sql.value("""
            SELECT CAST(COALESCE(SUM(amount_unapplied), 0) AS BIGINT) FROM credit WHERE customer_id = \(customer) AND amount_unapplied > 0
            """) ?? 0
        return (Money(minorUnits: try Money.total([open, -unapplied, -fromOnwards]), currency: currency), movements)
    }

    @inlinable
    public func invoicedPerCustomer(from: Day, to: Day) throws -> [Customer.ID: Int64] {
        // Summed here rather than with GROUP BY, which makes SQLite sort every invoice of the period
        // first; ids are small and dense, so an array indexed by id holds the totals.
        var dense: [Int64] = []
        var far: [Customer.ID: Int64] = [:]
        try sql.stream("SELECT customer_id, amount FROM invoice WHERE issue_day BETWEEN \(from) AND \(to)") { row in
            let id = try row.int64(0), amount = try row.int64(1)
            guard id >= 0, id < 1 << 24 else {
                far[Customer.ID(id)] = try Self.sum(far[Customer.ID(id), default: 0], amount)
                return
            }
            if Int(id) >= dense.count { dense.append(contentsOf: repeatElement(0, count: Int(id) + 1 - dense.count)) }
            dense[Int(id)] = try Self.sum(dense[Int(id)], amount)
        }
        for (id, total) in dense.enumerated() where total != 0 { far[Customer.ID(Int64(id)), default: 0] = total }
        return far
    }

    public func recentReceipts(limit: Int) throws -> [StoredCredit] {
        // The latest receipts by the day they came in (not by when they were entered), along credit_kind_day.
        try sql.rows("SELECT \(Self.creditColumns) FROM credit WHERE kind = 'receipt' ORDER BY day DESC, id DESC LIMIT \(limit)", Self.credit)
    }

    // MARK: receipts

    private func receiptWhere(_ filter: ReceiptFilter, customers: Set<Customer.ID>?) -> SQL? {
        var conditions: [SQL] = ["c.kind = 'receipt'"]
        if let customer = filter.customer { conditions.append("c.customer_id = \(customer)") }
        if let customers {
            guard !customers.isEmpty else { return nil }
            conditions.append("c.customer_id IN (\(raw: Self.integerList(customers.map(\.rawValue))))")
        }
        if let reference = filter.reference, !reference.isEmpty {
            conditions.append("c.reference LIKE \(Self.containing(reference)) ESCAPE '!'")
        }
        if let from = filter.from { conditions.append("c.day >= \(from)") }
        if let to = filter.to { conditions.append("c.day <= \(to)") }
        if filter.unappliedOnly { conditions.append("c.amount_unapplied > 0") }
        return "WHERE " + SQL.joined(conditions, separator: " AND ")
    }

    public func receipts(_ filter: ReceiptFilter, customers: Set<Customer.ID>?) throws -> [StoredCredit] {
        guard let whereClause = receiptWhere(filter, customers: customers) else { return [] }
        return try sql.rows("""
            SELECT c.id, c.kind, c.reference, c.customer_id, c.day, c.amount, c.amount_unapplied, c.currency, c.method, c.reversed_day
            FROM credit c \(whereClause) ORDER BY c.day DESC, c.id DESC LIMIT \(filter.limit) OFFSET \(filter.offset)
            """, Self.credit)
    }

    public func receiptTotals(_ filter: ReceiptFilter, customers: Set<Customer.ID>?) throws -> ListTotals {
        guard let whereClause = receiptWhere(filter, customers: customers) else { return ListTotals(count: 0, amount: [:], open: [:]) }
        var count = 0
        var amount: [Currency: Money] = [:], unapplied: [Currency: Money] = [:]
        try sql.query("""
            SELECT c.currency, COUNT(*), CAST(SUM(c.amount) AS BIGINT), CAST(SUM(c.amount_unapplied) AS BIGINT)
            FROM credit c \(whereClause) GROUP BY c.currency ORDER BY c.currency
            """) { row in
            let currency = try StoredTextParser.currency(row[0])
            count += Int(try row[1] as Int64)
            amount[currency] = Money(minorUnits: try row[2], currency: currency)
            unapplied[currency] = Money(minorUnits: try row[3], currency: currency)
        }
        return ListTotals(count: count, amount: amount, open: unapplied)
    }

    public func allocations(credit: Credit.ID) throws -> [CreditAllocation] {
        try sql.rows("""
            SELECT \(Self.allocationColumns), i.number FROM allocation a JOIN credit c ON c.id = a.credit_id
            LEFT JOIN open_item o ON o.id = a.open_item_id LEFT JOIN invoice i ON i.id = o.invoice_id
            WHERE a.credit_id = \(credit) ORDER BY a.id
            """) { row in
            CreditAllocation(record: try Self.allocation(row), invoice: try row[9])
        }
    }

    public func creditEntryIDs(credit: Credit.ID) throws -> [JournalEntry.ID] {
        try sql.rows("""
            SELECT entry_id FROM credit WHERE id = \(credit) AND entry_id IS NOT NULL
            UNION SELECT entry_id FROM allocation WHERE credit_id = \(credit) AND entry_id IS NOT NULL
            """) { try $0[0] }
    }
}
