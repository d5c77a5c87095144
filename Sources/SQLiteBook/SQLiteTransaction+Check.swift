import Bookkeeping
import GRDB
import GRDBSQLite
import Receivables

/// The figures `check` compares, read in four sequential passes over the tables (journal lines,
/// allocations, open items, credits) with the C API and summed into arrays indexed by id: no
/// sorting, no per-row lookups, so a million-invoice book is checked in about a second.
extension SQLiteTransaction {
    func checkFigures(chart: Chart) throws -> CheckFigures {
        var figures = CheckFigures()
        let customers = try maxID("customer") + 1
        var receivables = [Int64](repeating: 0, count: customers)
        var advances = [Int64](repeating: 0, count: customers)
        let receivablesCode = Array(chart.receivables.code.utf8)
        let advancesCode = Array(chart.advances.code.utf8)
        var entry: Int64 = -1
        var balance: Int64 = 0
        var unbalanced: [(Int64, Int64)] = []
        try scan("SELECT entry_id, account, customer_id, amount FROM journal_line") { (row: OpaquePointer) in
            let id = sqlite3_column_int64(row, 0)
            let amount = sqlite3_column_int64(row, 3)
            if id != entry {
                if balance != 0 { unbalanced.append((entry, balance)) }
                entry = id
                balance = 0
                figures.entries += 1
            }
            balance = try Self.sum(balance, amount)
            guard sqlite3_column_type(row, 2) != SQLITE_NULL else { return }
            let customer = Int(sqlite3_column_int64(row, 2))
            guard customer >= 0, customer < customers else { return }
            if Self.column(row, 1, equals: receivablesCode) {
                receivables[customer] = try Self.sum(receivables[customer], amount)
            } else if Self.column(row, 1, equals: advancesCode) {
                advances[customer] = try Self.sum(advances[customer], -amount)
            }
        }
        if balance != 0 { unbalanced.append((entry, balance)) }
        for (id, difference) in unbalanced.prefix(1000) {
            let document: String = try row("SELECT document FROM journal_entry WHERE id = ?", [id])?[0] ?? "?"
            figures.unbalanced.append(.init(entry: id, document: document, difference: difference))
        }
        // Entries without lines count too.
        figures.entries = try row("SELECT count(*) FROM journal_entry")?[0] ?? figures.entries

        var perItem = [Int64](repeating: 0, count: try maxID("open_item") + 1)
        var perCredit = [Int64](repeating: 0, count: try maxID("credit") + 1)
        try scan("SELECT credit_id, open_item_id, amount FROM allocation") { (row: OpaquePointer) in
            let amount = sqlite3_column_int64(row, 2)
            let credit = Int(sqlite3_column_int64(row, 0))
            if credit >= 0, credit < perCredit.count { perCredit[credit] = try Self.sum(perCredit[credit], amount) }
            if sqlite3_column_type(row, 1) != SQLITE_NULL {
                let item = Int(sqlite3_column_int64(row, 1))
                if item >= 0, item < perItem.count { perItem[item] = try Self.sum(perItem[item], amount) }
            }
        }
        let open = try storedAmounts("SELECT id, customer_id, amount, amount_open FROM open_item", customers: customers,
                                     allocated: perItem, outOfStep: &figures.itemsOutOfStep)
        let unapplied = try storedAmounts("SELECT id, customer_id, amount, amount_unapplied FROM credit", customers: customers,
                                          allocated: perCredit, outOfStep: &figures.creditsOutOfStep)
        for customer in 0..<customers {
            let id = Customer.ID(Int64(customer))
            if open[customer] != 0 { figures.openItems[id] = open[customer] }
            if unapplied[customer] != 0 { figures.unappliedCredits[id] = unapplied[customer] }
            if receivables[customer] != 0 { figures.receivablesAccount[id] = receivables[customer] }
            if advances[customer] != 0 { figures.advancesAccount[id] = advances[customer] }
        }
        return figures
    }

    /// Sums a stored amount (open or unapplied) per customer from rows of (id, customer, amount,
    /// stored amount), noting rows whose stored amount is not their amount less their allocations.
    private func storedAmounts(_ sql: String, customers: Int, allocated: [Int64],
                               outOfStep: inout [CheckFigures.Discrepancy]) throws -> [Int64] {
        var totals = [Int64](repeating: 0, count: customers)
        var found: [CheckFigures.Discrepancy] = []
        try scan(sql) { (row: OpaquePointer) in
            let id = Int(sqlite3_column_int64(row, 0))
            let customer = Int(sqlite3_column_int64(row, 1))
            let stored = sqlite3_column_int64(row, 3)
            let derived = sqlite3_column_int64(row, 2) - (id < allocated.count ? allocated[id] : 0)
            if stored != derived, found.count < 1000 { found.append(.init(id: Int64(id), stored: stored, derived: derived)) }
            if customer >= 0, customer < customers { totals[customer] = try Self.sum(totals[customer], stored) }
        }
        outOfStep = found
        return totals
    }

    private func maxID(_ table: String) throws -> Int {
        Int(try row("SELECT COALESCE(MAX(id), 0) FROM \(table)")?[0] as Int64? ?? 0)
    }

    /// Steps through every row of a query with `values` bound in order, handing the raw statement to
    /// `body` for column reads.
    func scan(_ sql: String, _ values: any SQLiteValue..., body: (OpaquePointer) throws -> Void) throws {
        let statement: Statement
        do { statement = try db.cachedStatement(sql: sql) } catch { throw SQLiteBook.storageError(error) }
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        defer { sqlite3_reset(raw) }
        for (offset, value) in values.enumerated() where value.bind(to: raw, at: Int32(offset + 1)) != SQLITE_OK {
            throw SQLiteBook.storageError(code: sqlite3_extended_errcode(db.sqliteConnection), underlying: "bind")
        }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw SQLiteBook.storageError(code: sqlite3_extended_errcode(db.sqliteConnection), underlying: "scan")
            }
            try body(raw)
        }
    }

    private static func column(_ row: OpaquePointer, _ index: Int32, equals bytes: [UInt8]) -> Bool {
        guard Int(sqlite3_column_bytes(row, index)) == bytes.count, let text = sqlite3_column_text(row, index) else { return false }
        for offset in 0..<bytes.count where text[offset] != bytes[offset] { return false }
        return true
    }

    private static func sum(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (result, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw StorageError(code: .constraint, message: "a total overflowed 64-bit minor units") }
        return result
    }
}
