import Receivables

/// Everything the invoice page shows.
public struct InvoiceFile: Sendable {
    public let invoice: StoredInvoice
    public let customer: StoredCustomer
    /// Each instalment with what it has open now.
    public let items: [OpenItem]
    public let allocations: [InvoiceAllocation]
    public let entries: [(id: JournalEntry.ID, entry: JournalEntry)]
}

extension Reports {
    public static let invoicePageSizeMax = 500

    /// A page of invoices the caller may see, newest first.
    public func invoices(_ filter: InvoiceFilter) async throws -> [(row: InvoiceRow, customer: CustomerSummary)] {
        try await listPage(limit: filter.limit, offset: filter.offset, noun: "invoices", customer: \.customer) { reader, visible in
            try reader.invoices(filter, customers: visible)
        }
    }

    /// One page of a list of the caller's customers' documents, each with its customer: `read` gets the
    /// customers the caller sees (nil: all). The page is 1 to `invoicePageSizeMax` rows, from an offset of at most 1,000,000.
    func listPage<Row>(limit: Int, offset: Int, noun: String, customer: any KeyPath<Row, Customer.ID> & Sendable,
                       _ read: @escaping @Sendable (any BookReader, Set<Customer.ID>?) throws -> [Row]) async throws
        -> [(Row, CustomerSummary)] where Row: Sendable {
        let principal = caller.principal
        try principal.require(.readBook)
        guard (1...Self.invoicePageSizeMax).contains(limit), offset >= 0, offset <= 1_000_000 else {
            throw BookError.invalid(field: "limit", reason: "1 to \(Self.invoicePageSizeMax) \(noun) a page")
        }
        return try await storage.read { reader in
            let directory = try reader.customerDirectory()
            let visible: Set<Customer.ID>? = principal.role.seesAssignedCustomersOnly
                ? Set(directory.filter { principal.sees($0.value) }.keys) : nil
            return try read(reader, visible).compactMap { row in directory[row[keyPath: customer]].map { (row, $0) } }
        }
    }

    /// The count and sums of every invoice `filter` selects among the customers the caller sees.
    public func invoiceTotals(_ filter: InvoiceFilter) async throws -> ListTotals {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            try reader.invoiceTotals(filter, customers: Self.visibleCustomers(reader, principal: principal))
        }
    }

    /// An invoice with its schedule, allocations, credit notes and journal entries.
    public func invoiceFile(_ number: DocumentNumber) async throws -> InvoiceFile {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let (stored, customer) = try Self.visibleInvoice(number, reader: reader, principal: principal)
            return InvoiceFile(invoice: stored, customer: customer, items: try reader.items(invoice: stored.id),
                               allocations: try reader.allocations(invoice: stored.id),
                               entries: try reader.journalEntries(reader.invoiceEntryIDs(invoice: stored.id)))
        }
    }
}

extension Reports {
    /// The items behind one cell of the aging report: a customer's items open at the end of the
    /// as-of day whose age falls in the bucket.
    public func agingCell(customer code: Customer.Code, options: AgingOptions, bucket: Int) async throws
        -> (customer: StoredCustomer, items: [(invoice: DocumentNumber, item: OpenItem)]) {
        let principal = caller.principal
        try principal.require(.readBook)
        guard (0...options.buckets.borders.count + 1).contains(bucket) else {
            throw BookError.invalid(field: "bucket", reason: "0 to \(options.buckets.borders.count + 1)")
        }
        return try await storage.read { reader in
            let stored = try Self.visibleCustomer(code, reader: reader, principal: principal)
            let items = try reader.itemsOpen(customer: stored.id, asOf: options.asOf).filter { _, item in
                let age = (options.basis == .due ? item.due : item.issue).distance(to: options.asOf)
                return options.buckets.index(forDays: age) == bucket
            }
            return (stored, items)
        }
    }
}

extension Reports {
    public static let journalPageSizeMax = 500

    /// A page of the journal: entries dated in the range, after the entry `after`, in the order they
    /// were written. The journal holds every customer, so collectors may not read it.
    public func journal(from: Day, to: Day, after: JournalEntry.ID, limit: Int) async throws -> [(id: JournalEntry.ID, entry: JournalEntry)] {
        let principal = caller.principal
        try principal.require(.readBook)
        guard !principal.role.seesAssignedCustomersOnly else { throw BookError.forbidden(.readBook) }
        guard (1...Self.journalPageSizeMax).contains(limit), from <= to else {
            throw BookError.invalid(field: "limit", reason: "1 to \(Self.journalPageSizeMax), and from ≤ to")
        }
        return try await storage.read { reader in
            try reader.journalEntries(reader.journalEntryIDs(from: from, to: to, after: after, limit: limit))
        }
    }

    /// A customer's unapplied credits (advances), for a caller who may see the customer.
    public func advances(customer code: Customer.Code) async throws -> (customer: StoredCustomer, credits: [StoredCredit]) {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let stored = try Self.visibleCustomer(code, reader: reader, principal: principal)
            return (stored, try reader.unappliedCredits(customer: stored.id))
        }
    }
}
