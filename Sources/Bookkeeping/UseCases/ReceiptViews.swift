import Receivables

/// A receipt with its customer, where its money went (allocations, their reversals, the rest voided
/// by a reversal of the receipt) and the journal entries it posted.
public struct ReceiptFile: Sendable {
    public let receipt: StoredCredit
    public let customer: StoredCustomer
    public let allocations: [CreditAllocation]
    public let entries: [(id: JournalEntry.ID, entry: JournalEntry)]
}

extension Reports {
    /// The customers a principal sees, or nil for all: a list's filter.
    static func visibleCustomers(_ reader: any BookReader, principal: Principal) throws -> Set<Customer.ID>? {
        principal.role.seesAssignedCustomersOnly ? Set(try reader.customerDirectory().filter { principal.sees($0.value) }.keys) : nil
    }

    /// A receipt and its customer, or "not found" when the principal may not see the customer — exactly
    /// as a reference that does not exist.
    static func visibleReceipt(_ reference: DocumentNumber, reader: any BookReader, principal: Principal) throws
        -> (receipt: StoredCredit, customer: StoredCustomer) {
        guard let receipt = try reader.credit(kind: .receipt, reference: reference),
              let customer = try reader.customer(id: receipt.customer), principal.sees(customer.collector) else {
            throw BookError.notFound(what: "receipt", key: reference.rawValue)
        }
        return (receipt, customer)
    }

    /// A page of receipts the caller may see, newest day first, with their customers.
    public func receipts(_ filter: ReceiptFilter) async throws -> [(receipt: StoredCredit, customer: CustomerSummary)] {
        try await listPage(limit: filter.limit, offset: filter.offset, noun: "receipts", customer: \.customer) { reader, visible in
            try reader.receipts(filter, customers: visible)
        }
    }

    /// The count and sums (received, not applied) of every receipt `filter` selects among the customers the caller sees.
    public func receiptTotals(_ filter: ReceiptFilter) async throws -> ListTotals {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            try reader.receiptTotals(filter, customers: Self.visibleCustomers(reader, principal: principal))
        }
    }

    /// A receipt of a customer the caller may see, with where its money went; "not found" otherwise.
    public func receiptFile(_ reference: DocumentNumber) async throws -> ReceiptFile {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let (receipt, customer) = try Self.visibleReceipt(reference, reader: reader, principal: principal)
            return ReceiptFile(receipt: receipt, customer: customer, allocations: try reader.allocations(credit: receipt.id),
                               entries: try reader.journalEntries(reader.creditEntryIDs(credit: receipt.id)))
        }
    }
}
