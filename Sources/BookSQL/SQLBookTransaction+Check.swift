import Bookkeeping
import Receivables

/// The figures `check` compares, on either engine by one algorithm: four sequential passes over the
/// tables (journal lines, allocations, open items, credits) summed into arrays indexed by id. No
/// sorting, no per-row lookups, and sums checked for overflow, so a million-invoice book is checked
/// in seconds and a book whose totals cannot be held is reported rather than trapped on.
extension SQLBookTransaction {
    @inlinable
    public func checkFigures(chart: Chart) throws -> CheckFigures {
        var figures = CheckFigures()
        let customers = try maxID("customer") + 1
        var receivables = [Int64](repeating: 0, count: customers)
        var advances = [Int64](repeating: 0, count: customers)
        // Each entry's balance by its id: the lines may come in any order.
        var balances = [Int64](repeating: 0, count: try maxID("journal_entry") + 1)
        var strays: [Int64: Int64] = [:]
        let receivablesCode = Array(chart.receivables.code.utf8), advancesCode = Array(chart.advances.code.utf8)
        try sql.stream("SELECT entry_id, account, customer_id, amount FROM journal_line") { row in
            let id = try row.int64(0), amount = try row.int64(3)
            if id >= 0, id < balances.count {
                balances[Int(id)] = try Self.sum(balances[Int(id)], amount)
            } else {
                strays[id] = try Self.sum(strays[id, default: 0], amount)
            }
            guard let customer = try row.integer(2).map({ Int($0) }), customer >= 0, customer < customers else { return }
            if try row.text(1, equals: receivablesCode) {
                receivables[customer] = try Self.sum(receivables[customer], amount)
            } else if try row.text(1, equals: advancesCode) {
                advances[customer] = try Self.sum(advances[customer], -amount)
            }
        }
        var unbalanced: [(Int64, Int64)] = []
        for (id, balance) in balances.enumerated() where balance != 0 { unbalanced.append((Int64(id), balance)) }
        unbalanced += strays.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (id, difference) in unbalanced.prefix(1000) {
            let document: String = try sql.value("SELECT document FROM journal_entry WHERE id = \(id)") ?? "?"
            figures.unbalanced.append(.init(entry: JournalEntry.ID(id), document: document, difference: difference))
        }
        // Entries without lines count too.
        figures.entries = try sql.value("SELECT count(*) FROM journal_entry") ?? 0

        var perItem = [Int64](repeating: 0, count: try maxID("open_item") + 1)
        var perCredit = [Int64](repeating: 0, count: try maxID("credit") + 1)
        try sql.stream("SELECT credit_id, open_item_id, amount FROM allocation") { row in
            let amount = try row.int64(2)
            let credit = Int(try row.int64(0))
            if credit >= 0, credit < perCredit.count { perCredit[credit] = try Self.sum(perCredit[credit], amount) }
            if let item = try row.integer(1).map({ Int($0) }), item >= 0, item < perItem.count {
                perItem[item] = try Self.sum(perItem[item], amount)
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
    @inlinable
    func storedAmounts(_ statement: SQL, customers: Int, allocated: [Int64],
                               outOfStep: inout [CheckFigures.Discrepancy]) throws -> [Int64] {
        var totals = [Int64](repeating: 0, count: customers)
        var found: [CheckFigures.Discrepancy] = []
        try sql.stream(statement) { row in
            let id = try row.int64(0), customer = Int(try row.int64(1))
            let stored = try row.int64(3)
            let (derived, overflow) = try row.int64(2).subtractingReportingOverflow(Int(id) < allocated.count ? allocated[Int(id)] : 0)
            if overflow || stored != derived, found.count < 1000 { found.append(.init(id: id, stored: stored, derived: derived)) }
            if customer >= 0, customer < customers { totals[customer] = try Self.sum(totals[customer], stored) }
        }
        outOfStep = found
        return totals
    }

    /// The highest id of `table` (a name the book writes), 0 when empty.
    @usableFromInline
    func maxID(_ table: String) throws -> Int {
        Int(try sql.value("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM \(raw: table)") as Int64? ?? 0)
    }

    @inlinable
    static func sum(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (result, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw StorageError(code: .constraint, message: "a total overflowed 64-bit minor units") }
        return result
    }
}
