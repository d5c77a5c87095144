/// The journal entry each financial event makes. Pure functions: the use cases write what they return.
///
/// A credit (receipt or credit note) credits receivables with what it applies at once and advances
/// with the rest, so that per customer Σ open items = receivables and Σ unapplied credits = advances.
public struct Posting: Sendable {
    public let chart: Chart

    public init(chart: Chart) { self.chart = chart }

    /// Dr receivables (gross) / Cr revenue (net) / Cr output VAT.
    public func invoice(_ invoice: Invoice, customer: Customer.ID) -> JournalEntry {
        let (net, vat) = invoice.netAndVAT
        return JournalEntry(day: invoice.issue, kind: .invoice, document: invoice.number.rawValue, lines: [
            .debit(chart.receivables, invoice.amount, customer: customer),
            .credit(chart.revenue, net, customer: customer),
            .credit(chart.vatOutput, vat, customer: customer),
        ])
    }

    /// Dr receivables / Cr fee income: a late fee charged by dunning, as a receivable of its own.
    public func lateFee(_ fee: Invoice, customer: Customer.ID) -> JournalEntry {
        JournalEntry(day: fee.issue, kind: .lateFee, document: fee.number.rawValue, lines: [
            .debit(chart.receivables, fee.amount, customer: customer),
            .credit(chart.feeIncome, fee.amount, customer: customer),
        ])
    }

    /// Dr the account the money landed in / Cr receivables (applied now) / Cr advances (the rest).
    public func receipt(_ receipt: Receipt, customer: Customer.ID, applied: Money) -> JournalEntry {
        let rest = Money(minorUnits: receipt.amount.minorUnits - applied.minorUnits, currency: receipt.amount.currency)
        return JournalEntry(day: receipt.day, kind: .receipt, document: receipt.reference.rawValue, lines: [
            .debit(chart.account(receiving: receipt.method), receipt.amount, customer: customer),
            .credit(chart.receivables, applied, customer: customer),
            .credit(chart.advances, rest, customer: customer),
        ])
    }

    /// Dr revenue (or `income`, for a late fee waived) and output VAT in the invoice's proportion / Cr
    /// receivables (applied) / Cr advances (rest).
    public func creditNote(_ note: CreditNote, of invoice: Invoice, customer: Customer.ID, applied: Money,
                           income: Account? = nil) -> JournalEntry {
        let (_, vat) = invoice.netAndVAT
        let parts = vat.isZero ? [note.amount, .zero(note.amount.currency)]
            : note.amount.split(weights: [invoice.amount.minorUnits - vat.minorUnits, vat.minorUnits])
        let rest = Money(minorUnits: note.amount.minorUnits - applied.minorUnits, currency: note.amount.currency)
        return JournalEntry(day: note.day, kind: .creditNote, document: note.number.rawValue, lines: [
            .debit(income ?? chart.revenue, parts[0], customer: customer),
            .debit(chart.vatOutput, parts[1], customer: customer),
            .credit(chart.receivables, applied, customer: customer),
            .credit(chart.advances, rest, customer: customer),
        ])
    }

    /// Dr advances / Cr receivables: an unapplied credit applied to open items later.
    public func allocation(day: Day, document: String, customer: Customer.ID, amount: Money) -> JournalEntry {
        JournalEntry(day: day, kind: .allocation, document: document, lines: [
            .debit(chart.advances, amount, customer: customer),
            .credit(chart.receivables, amount, customer: customer),
        ])
    }

    /// Dr receivables / Cr advances: an allocation undone; the item is open again, the credit unapplied.
    public func allocationReversal(day: Day, document: String, customer: Customer.ID, amount: Money) -> JournalEntry {
        JournalEntry(day: day, kind: .allocationReversal, document: document, lines: [
            .debit(chart.receivables, amount, customer: customer),
            .credit(chart.advances, amount, customer: customer),
        ])
    }

    /// A receipt undone (bounced cheque, wrong customer): its allocations reopen the items
    /// (Dr receivables), its unapplied part leaves advances (Dr advances), the money leaves the account.
    public func receiptReversal(reference: DocumentNumber, amount: Money, method: PaymentMethod, day: Day,
                                customer: Customer.ID, reopened: Money) -> JournalEntry {
        let unapplied = Money(minorUnits: amount.minorUnits - reopened.minorUnits, currency: amount.currency)
        return JournalEntry(day: day, kind: .receiptReversal, document: reference.rawValue, lines: [
            .debit(chart.receivables, reopened, customer: customer),
            .debit(chart.advances, unapplied, customer: customer),
            .credit(chart.account(receiving: method), amount, customer: customer),
        ])
    }
}
