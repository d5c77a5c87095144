import Bookkeeping
import GRDB
import GRDBSQLite
import Receivables

extension SQLiteTransaction {
    /// Items open today (from the partial index of open items) plus, for a past day, the
    /// allocations dated after it: together they are what was open on that day.
    func visitOpenAmounts(asOf: Day, _ body: (OpenAmount) throws -> Void) throws {
        // Read with the C API: a report on a large book visits hundreds of thousands of rows.
        let day = asOf.ordinal
        try scan("SELECT customer_id, issue_day, due_day, amount_open FROM open_item WHERE amount_open > 0 AND issue_day <= ?", day) { row in
            try body(OpenAmount(customer: Customer.ID(sqlite3_column_int64(row, 0)), issue: Day(ordinal: sqlite3_column_int(row, 1)),
                                due: Day(ordinal: sqlite3_column_int(row, 2)), minorUnits: sqlite3_column_int64(row, 3)))
        }
        try scan("SELECT customer_id, item_issue_day, item_due_day, amount FROM allocation WHERE day > ? AND item_issue_day <= ?", day, day) { row in
            try body(OpenAmount(customer: Customer.ID(sqlite3_column_int64(row, 0)), issue: Day(ordinal: sqlite3_column_int(row, 1)),
                                due: Day(ordinal: sqlite3_column_int(row, 2)), minorUnits: sqlite3_column_int64(row, 3)))
        }
    }

    func visitUnappliedAmounts(asOf: Day, _ body: (UnappliedAmount) throws -> Void) throws {
        let day = asOf.ordinal
        // Summed per customer in SQLite: the index is in customer order, so no sort, and one row per customer.
        try scan("SELECT customer_id, SUM(amount_unapplied) FROM credit WHERE amount_unapplied > 0 AND day <= ? GROUP BY customer_id", day) { row in
            try body(UnappliedAmount(customer: Customer.ID(sqlite3_column_int64(row, 0)), minorUnits: sqlite3_column_int64(row, 1)))
        }
        try scan("SELECT customer_id, amount FROM allocation WHERE day > ? AND credit_day <= ?", day, day) { row in
            try body(UnappliedAmount(customer: Customer.ID(sqlite3_column_int64(row, 0)), minorUnits: sqlite3_column_int64(row, 1)))
        }
    }

    func ledgerMovements(customer: Customer.ID, from: Day?, to: Day, chart: Chart) throws -> (opening: Int64, movements: [CustomerLedger.Movement]) {
        let receivables = chart.receivables.code, advances = chart.advances.code
        var movements: [CustomerLedger.Movement] = []
        var fromOnwards: Int64 = 0
        // Every movement from `from` on, also those after `to`: the opening balance is the customer's
        // position today less all of them.
        try each("""
            SELECT e.id, e.day, e.kind, e.document, SUM(l.amount)
            FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
            WHERE e.customer_id = ? AND e.day >= ? AND l.customer_id = ? AND l.account IN (?, ?)
            GROUP BY e.id HAVING SUM(l.amount) <> 0 ORDER BY e.day, e.id
            """, [customer.rawValue, (from ?? Day(ordinal: .min)).ordinal, customer.rawValue, receivables, advances]) { row in
            let amount: Int64 = row[4]
            fromOnwards += amount
            let day = Day(ordinal: row[1])
            guard day <= to else { return }
            movements.append(CustomerLedger.Movement(day: day, sequence: row[0], kind: EntryKind(rawValue: row[2]) ?? .invoice,
                                                     document: row[3], description: "", amount: amount))
        }
        guard from != nil else { return (0, movements) }
        // The position today from the open items and unapplied credits, which the book keeps equal to the
        // customer's receivables and advances (what `check` verifies): summing every journal line before
        // `from` would read the customer's whole history.
        let open: Int64 = try row("SELECT COALESCE(SUM(amount_open), 0) FROM open_item WHERE customer_id = ? AND amount_open > 0",
                                  [customer.rawValue])?[0] ?? 0
        let unapplied: Int64 = try row("SELECT COALESCE(SUM(amount_unapplied), 0) FROM credit WHERE customer_id = ? AND amount_unapplied > 0",
                                       [customer.rawValue])?[0] ?? 0
        return (open - unapplied - fromOnwards, movements)
    }

    func invoicedPerCustomer(from: Day, to: Day) throws -> [Customer.ID: Int64] {
        // Summed here rather than with GROUP BY, which sorts every invoice of the period first.
        var dense: [Int64] = []
        var far: [Customer.ID: Int64] = [:]
        try scan("SELECT customer_id, amount FROM invoice WHERE issue_day BETWEEN ? AND ?", from.ordinal, to.ordinal) { row in
            let id = sqlite3_column_int64(row, 0), amount = sqlite3_column_int64(row, 1)
            guard id >= 0, id < 1 << 24 else { return far[Customer.ID(id), default: 0] += amount }
            if Int(id) >= dense.count { dense.append(contentsOf: repeatElement(0, count: Int(id) + 1 - dense.count)) }
            dense[Int(id)] += amount
        }
        for (id, total) in dense.enumerated() where total != 0 { far[Customer.ID(Int64(id)), default: 0] += total }
        return far
    }

    func recentReceipts(limit: Int) throws -> [StoredCredit] {
        // The newest credits by key, receipts kept: filtering on kind in SQL would send SQLite through
        // the (kind, reference) index and a sort of every receipt.
        try rows("SELECT \(Self.creditColumns) FROM credit ORDER BY id DESC LIMIT ?", [limit * 2]).map(Self.credit)
            .filter { $0.kind == .receipt }.prefix(limit).map { $0 }
    }
}
