import Foundation
import Receivables

/// The benchmark book as CSV: customers with mixed terms; invoices spread over three years to
/// `today`; receipts paying most invoices (some partly, some late, some as advances naming no
/// invoice), so that a realistic share stays open and overdue.
struct BenchmarkFiles {
    let folder: String
    let customerCount: Int
    let invoiceCount: Int
    let today = "2026-06-30"
    let yearAgo = "2025-06-30"
    /// 2026-06-30 as a day number (days since 1970-01-01).
    let todayOrdinal = 20_634
    /// Invoices are spread over the three years before today.
    let span = 3 * 365

    var customersPath: String { folder + "/customers.csv" }
    var invoicesPath: String { folder + "/invoices.csv" }
    var receiptsPath: String { folder + "/receipts.csv" }

    func write() throws {
        var random = SplitMix(seed: 42)
        try Output(path: customersPath).write { out in
            out.line("code,name,credit_limit,payment_terms_days")
            for index in 0..<customerCount {
                out.line("C\(pad(index, 6)),Customer \(index) 有限公司,\(random.next(1000) * 1000).00,\([30, 45, 60, 90][index % 4])")
            }
        }
        let firstDay = todayOrdinal - span
        var amounts = [Int64](repeating: 0, count: invoiceCount)
        var issued = [Int](repeating: 0, count: invoiceCount)
        var customerOf = [Int](repeating: 0, count: invoiceCount)
        try Output(path: invoicesPath).write { out in
            out.line("number,customer,issue_date,due_date,amount")
            for index in 0..<invoiceCount {
                // Day ordinals increase with the invoice number so the book fills in date order, as real ones do.
                let day = firstDay + index * span / invoiceCount
                issued[index] = day
                let amount = Int64(random.next(500_000) + 100)
                amounts[index] = amount
                let drawn = Int(random.next(UInt64(customerCount)))
                // One key account (C000000) takes every 100th invoice: 10,000 of a million, for the customer page's figure.
                customerOf[index] = index % 100 == 0 ? 0 : drawn
                out.line("I\(pad(index, 8)),C\(pad(customerOf[index], 6)),\(iso(day)),,\(money(amount))")
            }
        }
        try Output(path: receiptsPath).write { out in
            out.line("reference,customer,date,amount,method,invoice")
            for index in 0..<invoiceCount {
                let kind = random.next(100)
                let delay = Int(random.next(120))
                let day = min(issued[index] + delay, todayOrdinal)
                let customer = "C\(pad(customerOf[index], 6))"
                if kind < 12 {
                    // An advance naming no invoice.
                    out.line("P\(pad(index, 8)),\(customer),\(iso(day)),\(money(Int64(random.next(50_000) + 100))),wechat,")
                } else {
                    let share: Int64 = kind < 25 ? Int64(random.next(90) + 10) : 100
                    let amount = max(1, amounts[index] * share / 100)
                    out.line("P\(pad(index, 8)),\(customer),\(iso(day)),\(money(amount)),bank,I\(pad(index, 8))")
                }
            }
        }
    }

    func iso(_ ordinal: Int) -> String { Day(ordinal: Int32(ordinal)).description }

    func money(_ minor: Int64) -> String { "\(minor / 100).\(pad(Int(minor % 100), 2))" }

    func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (z ^ (z >> 31)) % bound
    }
}

/// A buffered file writer: lines go out in 1 MiB blocks.
final class Output {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchmarkError("cannot write \(path)") }
        self.handle = handle
        buffer.reserveCapacity(1 << 21)
    }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(10)
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func write(_ body: (Output) throws -> Void) throws {
        try body(self)
        flush()
        try handle.close()
    }
}
