import Receivables

/// The storage a book needs. An engine (SQLite, PostgreSQL) implements it; the use cases own it.
///
/// Every use case runs in one `write`: what the body writes is committed together, or not at all
/// when it throws. Bodies are synchronous so that an engine can run them inside its own
/// transaction without holding other work.
public protocol BookStorage: Sendable {
    func write<T: Sendable>(_ work: @escaping @Sendable (any BookTransaction) throws -> T) async throws -> T
    func read<T: Sendable>(_ work: @escaping @Sendable (any BookReader) throws -> T) async throws -> T
}

/// What a use case may read, always from one consistent state of the book.
public protocol BookReader: CustomerQueries, DocumentQueries, ReportQueries, UserQueries, TokenQueries, IdempotencyQueries, SessionQueries,
    CollectionsQueries, TableQueries {
    func settings() throws -> BookSettings
    /// The newest audit records first.
    func auditRecords(limit: Int, before: Int64?) throws -> [AuditRecord]
    /// Audit records with an id above `after`, oldest first, at most `limit`.
    func auditRecords(after: Int64, limit: Int) throws -> [AuditRecord]
    func auditRecordCount(after: Int64) throws -> Int
    /// The newest audit records of one record of the book (`entity` "customer", `key` its code), at most `limit`.
    func auditRecords(entity: String, key: String, limit: Int) throws -> [AuditRecord]
    /// The chain's last link, nil before the first.
    func lastAuditLink() throws -> AuditLink?
    /// Links from `fromSeq` on, in order, each with the record it seals (nil when that record is gone).
    func auditLinks(fromSeq: Int64, limit: Int) throws -> [(link: AuditLink, record: AuditRecord?)]
    func lastJournalSeal() throws -> JournalSeal?
    /// Seals of the journal from `fromSeq` on, in order, at most `limit` (one per write that posted entries).
    func journalSeals(fromSeq: Int64, limit: Int) throws -> [JournalSeal]
    /// Calls `body` with each journal entry whose id is above `after` and at most `through`, in id order, with its lines.
    func visitJournal(after: JournalEntry.ID, through: JournalEntry.ID, _ body: (JournalEntry.ID, JournalEntry) throws -> Void) throws
}

/// What a use case may write, inside one transaction.
public protocol BookTransaction: BookReader, CustomerWrites, DocumentWrites, UserWrites, TokenWrites, IdempotencyWrites, SessionWrites,
    CollectionsWrites, TableWrites {
    func saveSettings(_ settings: BookSettings) throws
    /// Waits until no other transaction holds the lock of `job` (a daily run), and holds it until this
    /// one ends: with several servers on one book, a job's transactions run one after the other and
    /// each sees what the one before it wrote. An engine with one writer at a time has nothing to do.
    func lock(job: String) throws
    /// Whether the hash chains are extended inside each writing transaction (`AuditChain`): where one
    /// writer runs at a time, at no cost. Where writers run side by side, a sealer extends them instead.
    var sealsChainsInline: Bool { get }
    /// Waits until every transaction writing audit records or journal entries has ended, and holds new
    /// ones back until this one ends: the sealer's view of the book then has no gap a later commit could fill.
    func holdWritersForSealing() throws
    func insertAudit(_ record: AuditRecord) throws
    func insertAuditLink(_ link: AuditLink) throws
    func insertJournalSeal(_ seal: JournalSeal) throws
    /// Tells the engine a bulk load of about `rows` rows of `kind` starts in this transaction. An
    /// engine may suspend upkeep of indexes the load does not read, and must rebuild them in
    /// `endBulkLoad`; doing nothing is always correct.
    func beginBulkLoad(_ kind: ImportKind, rows: Int, autoAllocate: Bool) throws
    func endBulkLoad() throws
}

public protocol CustomerQueries {
    func customer(code: Customer.Code) throws -> StoredCustomer?
    func customer(id: Customer.ID) throws -> StoredCustomer?
    /// Every customer's id, code, name and currency, for reports and imports.
    func customerDirectory() throws -> [Customer.ID: CustomerSummary]
}

public protocol CustomerWrites {
    /// Stores a new customer. Throws `StorageError` with code `.duplicate` when the code exists.
    func insertCustomer(_ customer: Customer) throws -> Customer.ID
    /// Changes a customer's name, terms, credit limit, category, email and phone (its code and currency stay).
    func updateCustomer(id: Customer.ID, _ customer: Customer) throws
}

public protocol DocumentQueries {
    func invoice(number: DocumentNumber) throws -> StoredInvoice?
    /// An invoice's id, customer and the items it still has open, in one read: what paying it needs.
    func payable(invoice number: DocumentNumber) throws -> PayableInvoice?
    func openItem(id: OpenItem.ID) throws -> OpenItem?
    func openItems(invoice: Invoice.ID) throws -> [OpenItem]
    /// Every instalment of an invoice, paid ones included, in schedule order.
    func items(invoice: Invoice.ID) throws -> [OpenItem]
    /// The customer's items with something open, any order.
    func openItems(customer: Customer.ID) throws -> [OpenItem]
    /// The customer's invoices with something open, oldest due first.
    func openInvoices(customer: Customer.ID) throws -> [OpenInvoice]
    /// A page of invoices, newest issue first. `customers` limits them to those customers when given.
    func invoices(_ filter: InvoiceFilter, customers: Set<Customer.ID>?) throws -> [InvoiceRow]
    /// The count and sums of every invoice `filter` selects (its limit and offset ignored).
    func invoiceTotals(_ filter: InvoiceFilter, customers: Set<Customer.ID>?) throws -> ListTotals
    /// Receipts `filter` selects among `customers` (nil: all), newest day first; and their count and sums.
    func receipts(_ filter: ReceiptFilter, customers: Set<Customer.ID>?) throws -> [StoredCredit]
    func receiptTotals(_ filter: ReceiptFilter, customers: Set<Customer.ID>?) throws -> ListTotals
    /// Every allocation of a credit (reversed ones and reversals too), oldest first, and the journal
    /// entries the credit and its allocations posted.
    func allocations(credit: Credit.ID) throws -> [CreditAllocation]
    func creditEntryIDs(credit: Credit.ID) throws -> [JournalEntry.ID]
    /// Every allocation row (and reversal) of an invoice's items, in order.
    func allocations(invoice: Invoice.ID) throws -> [InvoiceAllocation]
    /// The journal entries of an invoice: its own and those of the allocations to it.
    func invoiceEntryIDs(invoice: Invoice.ID) throws -> [JournalEntry.ID]
    /// Ids of journal entries dated from `from` through `to`, after `after`, in id order, at most `limit`.
    func journalEntryIDs(from: Day, to: Day, after: JournalEntry.ID, limit: Int) throws -> [JournalEntry.ID]
    /// The journal entries with these ids, with their lines.
    func journalEntries(_ ids: [JournalEntry.ID]) throws -> [(id: JournalEntry.ID, entry: JournalEntry)]
    /// The customer's items as they stood at the end of `asOf`, with what each had open then (> 0 only).
    func itemsOpen(customer: Customer.ID, asOf: Day) throws -> [(invoice: DocumentNumber, item: OpenItem)]
    /// The customer's receipts and credit notes with something unapplied, oldest first.
    func unappliedCredits(customer: Customer.ID) throws -> [StoredCredit]
    func credit(kind: CreditKind, reference: DocumentNumber) throws -> StoredCredit?
    func credit(id: Credit.ID) throws -> StoredCredit?
    /// Σ credit notes issued against an invoice, in its currency.
    func creditNotesTotal(invoice: Invoice.ID, currency: Currency) throws -> Money
    func allocation(id: AllocationRecord.ID) throws -> AllocationRecord?
    /// Allocations of a credit that are still in force (not reversed, not reversals).
    func liveAllocations(credit: Credit.ID) throws -> [AllocationRecord]
    func importBatch(fingerprint: String) throws -> ImportBatch?
}

public protocol DocumentWrites {
    func insertInvoice(_ invoice: Invoice, customer: Customer.ID, entry: JournalEntry) throws -> (id: Invoice.ID, items: [OpenItem])
    /// Stores a credit with its whole amount unapplied; allocations then lower it.
    func insertCredit(_ credit: NewCredit, entry: JournalEntry.ID?) throws -> Credit.ID
    /// Stores an allocation (or its reversal) and moves the item's open amount and the credit's
    /// unapplied amount by `amount`. The engine refuses to take either below zero.
    func insertAllocation(_ allocation: NewAllocation) throws -> AllocationRecord.ID
    func insertEntry(_ entry: JournalEntry, customer: Customer.ID?) throws -> JournalEntry.ID
    func markAllocationReversed(_ id: AllocationRecord.ID, by reversal: AllocationRecord.ID) throws
    func markCreditReversed(_ id: Credit.ID, day: Day, reason: String) throws
    func insertImportBatch(_ batch: ImportBatch) throws
}

/// Reads made for reports: they stream rows rather than build documents.
public protocol ReportQueries {
    /// Calls `body` with every piece of an amount open as of `asOf`: each item's amount open today
    /// (if issued by then) and each allocation dated after `asOf` of an item issued by then.
    func visitOpenAmounts(asOf: Day, _ body: (OpenAmount) throws -> Void) throws
    /// The same for unapplied credits dated by `asOf`.
    func visitUnappliedAmounts(asOf: Day, _ body: (UnappliedAmount) throws -> Void) throws
    /// The customer's net position on receivables and advances before `from` (the opening balance; 0
    /// without `from`), and the journal movements dated from `from` through `to`, in `currency`.
    func ledgerMovements(customer: Customer.ID, currency: Currency, from: Day?, to: Day, chart: Chart) throws
        -> (opening: Money, movements: [CustomerLedger.Movement])
    /// Σ invoice amounts per customer for invoices issued from `from` through `to`, in minor units of
    /// each customer's currency (a sum over rows, for reports to put in their currency).
    func invoicedPerCustomer(from: Day, to: Day) throws -> [Customer.ID: Int64]
    /// The receipts recorded last, newest first, at most `limit`.
    func recentReceipts(limit: Int) throws -> [StoredCredit]
    /// The figures `check` compares.
    func checkFigures(chart: Chart) throws -> CheckFigures
}
