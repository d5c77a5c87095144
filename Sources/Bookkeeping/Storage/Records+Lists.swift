import Receivables

/// What every document a list's filter selects adds up to, per currency: the list shows it above its
/// first page. `open` is what invoices have open, or what receipts have not applied.
public struct ListTotals: Hashable, Sendable {
    public let count: Int
    public let amount: [Currency: Money]
    public let open: [Currency: Money]
    public init(count: Int, amount: [Currency: Money], open: [Currency: Money]) {
        self.count = count
        self.amount = amount
        self.open = open
    }
}

/// Which receipts a list shows, newest first.
public struct ReceiptFilter: Hashable, Sendable {
    public var customer: Customer.ID?
    /// Receipts whose reference contains this text.
    public var reference: String?
    public var from: Day?
    public var to: Day?
    /// Only those with something not applied (advances).
    public var unappliedOnly = false
    public var limit: Int
    public var offset: Int
    public init(limit: Int, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }
}

/// An allocation of a credit, with the invoice it went to (none for the rest a reversal voided).
public struct CreditAllocation: Hashable, Sendable {
    public let record: AllocationRecord
    public let invoice: DocumentNumber?
    public init(record: AllocationRecord, invoice: DocumentNumber?) {
        self.record = record
        self.invoice = invoice
    }
}
