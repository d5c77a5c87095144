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
        try scan("SELECT customer_id, amount_unapplied FROM credit WHERE amount_unapplied > 0 AND day <= ?", day) { row in
            try body(UnappliedAmount(customer: Customer.ID(sqlite3_column_int64(row, 0)), minorUnits: sqlite3_column_int64(row, 1)))
        }
        try scan("SELECT customer_id, amount FROM allocation WHERE day > ? AND credit_day <= ?", day, day) { row in
            try body(UnappliedAmount(customer: Customer.ID(sqlite3_column_int64(row, 0)), minorUnits: sqlite3_column_int64(row, 1)))
        }
    }

    func ledgerMovements(customer: Customer.ID, from: Day?, to: Day, chart: Chart) throws -> (opening: Int64, movements: [CustomerLedger.Movement]) {
        let receivables = chart.receivables.code, advances = chart.advances.code
        var opening: Int64 = 0
        if let from {
            opening = try row("""
                SELECT COALESCE(SUM(l.amount), 0) FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
                WHERE e.customer_id = ? AND e.day < ? AND l.customer_id = ? AND l.account IN (?, ?)
                """, [customer.rawValue, from.ordinal, customer.rawValue, receivables, advances])?[0] ?? 0
        }
        var movements: [CustomerLedger.Movement] = []
        try each("""
            SELECT e.id, e.day, e.kind, e.document, SUM(l.amount)
            FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
            WHERE e.customer_id = ? AND e.day BETWEEN ? AND ? AND l.customer_id = ? AND l.account IN (?, ?)
            GROUP BY e.id HAVING SUM(l.amount) <> 0 ORDER BY e.day, e.id
            """, [customer.rawValue, (from ?? Day(ordinal: .min)).ordinal, to.ordinal, customer.rawValue, receivables, advances]) { row in
            let kind = EntryKind(rawValue: row[2]) ?? .invoice
            movements.append(CustomerLedger.Movement(day: Day(ordinal: row[1]), sequence: row[0], kind: kind,
                                                     document: row[3], description: "", amount: row[4]))
        }
        return (opening, movements)
    }

    func invoicedPerCustomer(from: Day, to: Day) throws -> [Customer.ID: Int64] {
        var totals: [Customer.ID: Int64] = [:]
        try each("SELECT customer_id, SUM(amount) FROM invoice WHERE issue_day BETWEEN ? AND ? GROUP BY customer_id",
                 [from.ordinal, to.ordinal]) { row in totals[Customer.ID(row[0])] = row[1] }
        return totals
    }

    func recentReceipts(limit: Int) throws -> [StoredCredit] {
        // The newest credits by key, receipts kept: filtering on kind in SQL would send SQLite through
        // the (kind, reference) index and a sort of every receipt.
        try rows("SELECT \(Self.creditColumns) FROM credit ORDER BY id DESC LIMIT ?", [limit * 2]).map(Self.credit)
            .filter { $0.kind == .receipt }.prefix(limit).map { $0 }
    }
}
