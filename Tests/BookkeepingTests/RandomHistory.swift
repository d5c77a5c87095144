import Bookkeeping
import Receivables

/// A random history of a small book, written through the use cases in day order. Each number of
/// the input decides one step: how many days pass and what happens that day. Rejected steps
/// (a credit note larger than the invoice, a reversal of a reversed allocation) are part of the
/// history: they must change nothing.
struct RandomHistory {
    let steps: [Int]
    static let start = Day(year: 2026, month: 1, day: 1)!
    static let customers = [("K1", "net 30"), ("K2", "30%@0,70%@60"), ("K3", "eom 15; 2%/10")]

    /// The day each step happens on.
    var days: [Day] {
        var day = Self.start
        return steps.map { step in
            day = day.advanced(by: step % 4)
            return day
        }
    }

    /// Writes the steps dated on or before `until` (all when nil) into `book`.
    func replay(into book: TestBook, until: Day? = nil) async throws {
        for (code, terms) in Self.customers { try await book.customer(code, terms: terms) }
        var invoices: [(number: String, customer: String, issue: Day)] = []
        var receipts: [(reference: String, customer: String)] = []
        var allocations: [AllocationRecord.ID] = []
        for (index, (step, day)) in zip(steps, days).enumerated() {
            if let until, day > until { break }
            let parameter = step / 36
            let customer = Self.customers[parameter % 3].0
            let amount = Money(minorUnits: Int64(parameter % 500_000 + 1), currency: .cny)
            let reference = DocumentNumber("S\(index)")
            do {
                switch (step / 4) % 9 {
                case 0, 1:
                    _ = try await book.billing.issueInvoice(InvoiceDraft(number: reference, customer: Customer.Code(customer), issue: day, amount: amount))
                    invoices.append((reference.rawValue, customer, day))
                case 2 where !invoices.isEmpty:
                    let target = invoices[parameter % invoices.count]
                    try await record(book, reference, target.customer, day, amount, .invoice(DocumentNumber(target.number)))
                    receipts.append((reference.rawValue, target.customer))
                case 3:
                    try await record(book, reference, customer, day, amount, .advance)
                    receipts.append((reference.rawValue, customer))
                case 4:
                    try await record(book, reference, customer, day, amount, .oldestDueFirst)
                    receipts.append((reference.rawValue, customer))
                case 5 where !receipts.isEmpty:
                    // Only to an invoice issued today, so the allocation takes effect on the day it is made.
                    let credit = receipts[parameter % receipts.count]
                    if let target = invoices.last(where: { $0.customer == credit.customer && $0.issue == day }) {
                        let made = try await book.cash.allocate(credit: .receipt, reference: DocumentNumber(credit.reference),
                                                                to: DocumentNumber(target.number), amount: nil)
                        allocations += made.map(\.id)
                    }
                case 6 where !invoices.isEmpty:
                    let target = invoices[parameter % invoices.count]
                    _ = try await book.billing.issueCreditNote(CreditNote(number: reference, invoice: DocumentNumber(target.number),
                                                                          day: day, amount: amount, reason: "return"))
                case 7 where !allocations.isEmpty:
                    _ = try await book.cash.reverseAllocation(allocations[parameter % allocations.count], day: day, reason: "undo")
                case 8 where !receipts.isEmpty:
                    _ = try await book.cash.reverseReceipt(DocumentNumber(receipts[parameter % receipts.count].reference),
                                                           day: day, reason: "bounced")
                default:
                    break
                }
            } catch is BookError {
                continue
            }
        }
    }

    private func record(_ book: TestBook, _ reference: DocumentNumber, _ customer: String, _ day: Day, _ amount: Money,
                        _ application: ReceiptApplication) async throws {
        _ = try await book.cash.recordReceipt(Receipt(reference: reference, customer: Customer.Code(customer), day: day,
                                                      amount: amount, method: .bankTransfer), application: application)
    }
}
