import Receivables

/// Receipts, allocations (核销), advances and reversals.
public struct Cash: Sendable {
    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    public func recordReceipt(_ receipt: Receipt, application: ReceiptApplication) async throws -> StoredCredit {
        try await storage.writing(caller) { try $0.recordReceipt(receipt, application: application) }
    }

    /// Records a receipt for the customer with `code`, built from that customer (whose currency its amount
    /// is read in) inside the same transaction: one trip to the book instead of a read and then a write.
    /// A customer the caller may not see is "not found", as in every read.
    public func recordReceipt(customer code: Customer.Code, application: ReceiptApplication,
                              _ build: @escaping @Sendable (StoredCustomer) throws -> Receipt) async throws -> StoredCredit {
        try await recordReceipt(customer: code) { customer in (try build(customer), application) }
    }

    /// The same, where where the receipt goes is also read in the customer's currency (amounts chosen per invoice).
    public func recordReceipt(customer code: Customer.Code,
                              _ build: @escaping @Sendable (StoredCustomer) throws -> (Receipt, ReceiptApplication)) async throws -> StoredCredit {
        let principal = caller.principal
        return try await storage.writing(caller) { writer in
            let customer = try Reports.visibleCustomer(code, reader: writer.tx, principal: principal)
            let (receipt, application) = try build(customer)
            guard receipt.customer == customer.customer.code else {
                throw BookError.invalid(field: "customer", reason: "the receipt names another customer")
            }
            return try writer.recordReceipt(receipt, customer: customer.id, currency: customer.customer.currency, application: application)
        }
    }

    /// Applies an unapplied credit (an advance) to an invoice's open items, oldest due first, up to
    /// `amount` (all that can be applied when nil).
    public func allocate(credit: CreditKind, reference: DocumentNumber, to invoice: DocumentNumber,
                         amount: Money?) async throws -> [AllocationRecord] {
        try await storage.writing(caller) { try $0.allocate(credit: credit, reference: reference, to: invoice, amount: amount) }
    }

    /// The same, with the amount read inside the write in the credit's currency (nil: all that can be applied).
    public func allocate(credit kind: CreditKind, reference: DocumentNumber, to invoice: DocumentNumber,
                         amount: @escaping @Sendable (Currency) throws -> Money?) async throws -> [AllocationRecord] {
        try await storage.writing(caller) { writer in
            guard let credit = try writer.tx.credit(kind: kind, reference: reference) else {
                throw BookError.notFound(what: kind == .receipt ? "receipt" : "credit note", key: reference.rawValue)
            }
            return try writer.allocate(credit: kind, reference: reference, to: invoice, amount: try amount(credit.amount.currency))
        }
    }

    public func reverseAllocation(_ id: AllocationRecord.ID, day: Day, reason: String) async throws -> AllocationRecord {
        try await storage.writing(caller) { try $0.reverseAllocation(id, day: day, reason: reason) }
    }

    public func reverseReceipt(_ reference: DocumentNumber, day: Day, reason: String) async throws -> StoredCredit {
        try await storage.writing(caller) { try $0.reverseReceipt(reference, day: day, reason: reason) }
    }

    /// What a receipt of `amount` (a decimal in the customer's currency; none when it is not one) would pay of each of the customer's open invoices (oldest due first):
    /// the rule that `.oldestDueFirst` books, item by item, summed per invoice. A page that proposes
    /// these amounts and posts them back as `.invoices` records what auto-allocation would have.
    public func proposal(customer code: Customer.Code, amount: String) async throws -> ReceiptProposal {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let stored = try Reports.visibleCustomer(code, reader: reader, principal: principal)
            let invoices = try reader.openInvoices(customer: stored.id)
            let available = (try? Money.parse(amount, currency: stored.customer.currency)) ?? .zero(stored.customer.currency)
            var proposed: [DocumentNumber: Int64] = [:]  // minor units of the customer's currency while summing
            if available.isPositive {
                let items = try reader.itemsOpen(customer: stored.id, asOf: Day.last)
                let number = Dictionary(items.map { ($0.item.id, $0.invoice) }, uniquingKeysWith: { first, _ in first })
                for (item, part) in AllocationRule.oldestDueFirst(available: available, items: items.map(\.item)) {
                    if let invoice = number[item.id] { proposed[invoice, default: 0] += part.minorUnits }
                }
            }
            return ReceiptProposal(customer: stored, invoices: invoices.map { invoice in
                (invoice, Money(minorUnits: proposed[invoice.number] ?? 0, currency: invoice.open.currency))
            })
        }
    }
}

/// A customer's open invoices with what a receipt would pay of each (zero where it would pay nothing).
public struct ReceiptProposal: Sendable {
    public let customer: StoredCustomer
    public let invoices: [(invoice: OpenInvoice, proposed: Money)]
}

/// Where a new receipt goes.
public enum ReceiptApplication: Hashable, Sendable {
    /// Stays on the customer's account as an advance (预收款).
    case advance
    /// Applies to the named invoice up to what it has open; the rest is an advance.
    case invoice(DocumentNumber)
    /// Applies to the customer's open items oldest due first; the rest is an advance.
    case oldestDueFirst
    /// Applies the given amount to each invoice (oldest due instalment first); the rest is an advance.
    case invoices([InvoiceAmount])
}

extension ReceiptApplication {
    /// What a receipt that names `invoice` (or none) does: pay that invoice, or stay an advance unless
    /// auto-allocation applies it oldest due first. Imports and the API decide it the same way.
    public static func named(_ invoice: DocumentNumber?, autoAllocate: Bool) -> ReceiptApplication {
        invoice.map { .invoice($0) } ?? (autoAllocate ? .oldestDueFirst : .advance)
    }
}

/// An amount to apply to one invoice.
public struct InvoiceAmount: Hashable, Sendable {
    public let invoice: DocumentNumber
    public let amount: Money
    public init(invoice: DocumentNumber, amount: Money) {
        self.invoice = invoice
        self.amount = amount
    }
}

extension BookWriter {
    public func recordReceipt(_ receipt: Receipt, application: ReceiptApplication) throws -> StoredCredit {
        let customer = try requireCustomer(receipt.customer)
        return try recordReceipt(receipt, customer: customer.id, currency: customer.customer.currency, application: application)
    }

    /// Records a receipt for a customer already looked up. Applications dated on the receipt's day go
    /// into the receipt's own entry; an application to an invoice issued later takes effect on that
    /// invoice's day, in an entry of its own.
    public func recordReceipt(_ receipt: Receipt, customer: Customer.ID, currency: Currency,
                              application: ReceiptApplication) throws -> StoredCredit {
        guard receipt.amount.currency == currency else {
            throw BookError.currencyMismatch(field: "currency", expected: currency, got: receipt.amount.currency)
        }
        var invoiceID: Invoice.ID?
        var items: [OpenItem] = []
        var chosen: [(item: OpenItem, amount: Money)]?
        switch application {
        case .advance:
            break
        case .invoice(let number):
            guard let invoice = try tx.payable(invoice: number) else {
                throw BookError.notFound(what: "invoice", key: number.rawValue)
            }
            guard invoice.customer == customer else {
                throw BookError.invalid(field: "invoice", reason: "invoice \(number) belongs to another customer")
            }
            invoiceID = invoice.id
            items = invoice.open
        case .oldestDueFirst:
            items = try tx.openItems(customer: customer)
        case .invoices(let amounts):
            chosen = try explicitPlan(amounts, customer: customer, receipt: receipt)
        }
        let plan = chosen ?? AllocationRule.oldestDueFirst(available: receipt.amount, items: items)
        let appliedNow = try Money.total(plan.filter { $0.item.issue <= receipt.day }.map(\.amount), in: currency)
        let entry = posting.receipt(receipt, customer: customer, applied: appliedNow)
        let entryID = try tx.insertEntry(entry, customer: customer)
        let creditID = try storing(field: "reference", value: receipt.reference.rawValue) {
            try tx.insertCredit(NewCredit(kind: .receipt, reference: receipt.reference, customer: customer, day: receipt.day,
                                          amount: receipt.amount, method: receipt.method, invoice: invoiceID,
                                          memo: receipt.memo), entry: entryID)
        }
        var credit = StoredCredit(id: creditID, kind: .receipt, reference: receipt.reference, customer: customer,
                                  day: receipt.day, amount: receipt.amount, unapplied: receipt.amount,
                                  method: receipt.method, reversedOn: nil)
        for (item, amount) in plan where item.issue <= receipt.day {
            credit = try apply(amount, of: credit, to: item, entry: entryID).credit
        }
        let later = plan.filter { $0.item.issue > receipt.day }
        for day in Set(later.map(\.item.issue)).sorted() {
            credit = try applyWithEntry(later.filter { $0.item.issue == day }, of: credit, day: day).credit
        }
        if auditsEachWrite { try audit("record", "receipt", key: receipt.reference.rawValue, after: AuditJSON.credit(credit)) }
        return credit
    }

    /// The allocations a user chose: each amount within what its invoice has open, all within the receipt.
    func explicitPlan(_ amounts: [InvoiceAmount], customer: Customer.ID, receipt: Receipt) throws -> [(item: OpenItem, amount: Money)] {
        var plan: [(item: OpenItem, amount: Money)] = []
        var total = Money.zero(receipt.amount.currency)
        for wanted in amounts where !wanted.amount.isZero {
            guard wanted.amount.isPositive, wanted.amount.currency == receipt.amount.currency else {
                throw BookError.invalid(field: "allocations", reason: "amount for \(wanted.invoice) must be positive and in \(receipt.amount.currency)")
            }
            guard let invoice = try tx.payable(invoice: wanted.invoice), invoice.customer == customer else {
                throw BookError.notFound(what: "invoice", key: wanted.invoice.rawValue)
            }
            let ordered = invoice.open.sorted { ($0.due, $0.id) < ($1.due, $1.id) }
            let open = try Money.total(ordered.map(\.open), in: wanted.amount.currency)
            guard wanted.amount <= open else {
                throw BookError.allocation(.exceedsOpenAmount(open: open))
            }
            plan += AllocationRule.fill(available: wanted.amount, in: ordered)
            total = try total.adding(wanted.amount)
        }
        guard total <= receipt.amount else {
            throw BookError.allocation(.exceedsUnappliedCredit(unapplied: receipt.amount))
        }
        return plan
    }

    public func allocate(credit kind: CreditKind, reference: DocumentNumber, to number: DocumentNumber,
                         amount: Money?) throws -> [AllocationRecord] {
        guard let credit = try tx.credit(kind: kind, reference: reference) else {
            throw BookError.notFound(what: kind == .receipt ? "receipt" : "credit note", key: reference.rawValue)
        }
        let invoice = try requireInvoice(number)
        let wanted = amount ?? credit.unapplied
        guard wanted.currency == credit.amount.currency else {
            throw BookError.currencyMismatch(field: "amount", expected: credit.amount.currency, got: wanted.currency)
        }
        let items = try tx.openItems(invoice: invoice.id)
        let open = try Money.total(items.map(\.open), in: invoice.invoice.amount.currency)
        // The rule is checked on the whole request first, so that a partial fill never hides a refusal.
        let whole = OpenItem(id: OpenItem.ID(0), customer: invoice.customer, issue: invoice.invoice.issue, due: invoice.invoice.issue,
                             amount: invoice.invoice.amount, open: open)
        do {
            _ = try AllocationRule.check(credit: credit.asCredit, item: whole, amount: wanted)
        } catch {
            throw BookError.allocation(error)
        }
        let plan = AllocationRule.oldestDueFirst(available: wanted, items: items)
        let (_, ids) = try applyWithEntry(plan, of: credit, day: max(credit.day, invoice.invoice.issue))
        let records = try ids.compactMap { try tx.allocation(id: $0) }
        for record in records where auditsEachWrite {
            try audit("allocate", "allocation", key: record.id.description, after: AuditJSON.allocation(record))
        }
        return records
    }

    /// Applies each planned amount and writes one allocation entry (Dr advances / Cr receivables) for all.
    /// Returns the credit as it is afterwards and the ids of the allocations written.
    func applyWithEntry(_ plan: [(item: OpenItem, amount: Money)], of credit: StoredCredit,
                        day: Day) throws -> (credit: StoredCredit, allocations: [AllocationRecord.ID]) {
        guard !plan.isEmpty else { return (credit, []) }
        let total = try Money.total(plan.map(\.amount), in: credit.amount.currency)
        let entryID = try tx.insertEntry(posting.allocation(day: day, document: credit.reference.rawValue,
                                                            customer: credit.customer, amount: total),
                                         customer: credit.customer)
        var current = credit
        var ids: [AllocationRecord.ID] = []
        for (item, amount) in plan {
            let applied = try apply(amount, of: current, to: item, entry: entryID)
            current = applied.credit
            ids.append(applied.allocation)
        }
        return (current, ids)
    }

    /// One allocation row, checked by the domain rule; the journal entry is the caller's.
    func apply(_ amount: Money, of credit: StoredCredit, to item: OpenItem,
               entry: JournalEntry.ID) throws -> (credit: StoredCredit, allocation: AllocationRecord.ID) {
        let day: Day
        do {
            day = try AllocationRule.check(credit: credit.asCredit, item: item, amount: amount)
        } catch {
            throw BookError.allocation(error)
        }
        let id = try tx.insertAllocation(NewAllocation(kind: .allocation, credit: credit, item: item, day: day,
                                                       amount: amount, entry: entry))
        return (credit.lowered(by: amount), id)
    }

    public func reverseAllocation(_ id: AllocationRecord.ID, day: Day, reason: String) throws -> AllocationRecord {
        try Self.checkReason(reason)
        guard let original = try tx.allocation(id: id), original.kind == .allocation else {
            throw BookError.notFound(what: "allocation", key: id.description)
        }
        guard original.reversedBy == nil else { throw BookError.allocation(.alreadyReversed) }
        guard day >= original.day else { throw BookError.allocation(.dayBeforeDocuments) }
        guard let credit = try tx.credit(id: original.credit), let itemID = original.item,
              let item = try tx.openItem(id: itemID) else {
            throw BookError.notFound(what: "allocation", key: id.description)
        }
        let negative = Money(minorUnits: -original.amount.minorUnits, currency: original.amount.currency)
        let entryID = try tx.insertEntry(posting.allocationReversal(day: day, document: credit.reference.rawValue,
                                                                    customer: credit.customer, amount: original.amount),
                                         customer: credit.customer)
        let reversalID = try tx.insertAllocation(NewAllocation(kind: .reversal, credit: credit, item: item, day: day,
                                                               amount: negative, reverses: id, entry: entryID))
        try tx.markAllocationReversed(id, by: reversalID)
        guard let record = try tx.allocation(id: reversalID) else { throw BookError.notFound(what: "allocation", key: reversalID.description) }
        if auditsEachWrite {
            try audit("reverse", "allocation", key: id.description, before: AuditJSON.allocation(original),
                      after: .object([("reversal", AuditJSON.allocation(record)), ("reason", .string(reason))]))
        }
        return record
    }

    public func reverseReceipt(_ reference: DocumentNumber, day: Day, reason: String) throws -> StoredCredit {
        try Self.checkReason(reason)
        guard let credit = try tx.credit(kind: .receipt, reference: reference) else {
            throw BookError.notFound(what: "receipt", key: reference.rawValue)
        }
        guard credit.reversedOn == nil else { throw BookError.alreadyReversed(what: "receipt", key: reference.rawValue) }
        let live = try tx.liveAllocations(credit: credit.id)
        let latest = live.map(\.day).max() ?? credit.day
        guard day >= max(credit.day, latest) else {
            throw BookError.invalid(field: "day", reason: "a reversal cannot be dated before the receipt or its allocations (\(max(credit.day, latest)))")
        }
        let reopened = try Money.total(live.map(\.amount), in: credit.amount.currency)
        let entry = posting.receiptReversal(reference: credit.reference, amount: credit.amount, method: credit.method ?? .other,
                                            day: day, customer: credit.customer,
                                            reopened: reopened)
        let entryID = try tx.insertEntry(entry, customer: credit.customer)
        var current = credit
        for allocation in live {
            guard let itemID = allocation.item, let item = try tx.openItem(id: itemID) else { continue }
            let negative = Money(minorUnits: -allocation.amount.minorUnits, currency: allocation.amount.currency)
            let reversalID = try tx.insertAllocation(NewAllocation(kind: .reversal, credit: current, item: item, day: day,
                                                                   amount: negative, reverses: allocation.id, entry: entryID))
            try tx.markAllocationReversed(allocation.id, by: reversalID)
            current = current.lowered(by: negative)
        }
        _ = try tx.insertAllocation(NewAllocation(kind: .creditVoid, credit: current, item: nil, day: day,
                                                  amount: current.unapplied, entry: entryID))
        try tx.markCreditReversed(credit.id, day: day, reason: reason)
        guard let stored = try tx.credit(id: credit.id) else { throw BookError.notFound(what: "receipt", key: reference.rawValue) }
        if auditsEachWrite {
            try audit("reverse", "receipt", key: reference.rawValue, before: AuditJSON.credit(credit),
                      after: .object([("receipt", AuditJSON.credit(stored)), ("reason", .string(reason))]))
        }
        return stored
    }
}

extension BookWriter {
    /// A reversal states why, in at most `Invoice.descriptionLengthMax` characters.
    static func checkReason(_ reason: String) throws {
        guard !reason.trimmed.isEmpty else { throw BookError.invalid(field: "reason", reason: "a reason is required") }
        guard reason.count <= Invoice.descriptionLengthMax else {
            throw BookError.invalid(field: "reason", reason: "longer than \(Invoice.descriptionLengthMax) characters")
        }
    }
}

extension StoredCredit {
    /// The same credit with `amount` more applied (negative: un-applied).
    func lowered(by amount: Money) -> StoredCredit {
        StoredCredit(id: id, kind: kind, reference: reference, customer: customer, day: day, amount: self.amount,
                     unapplied: Money(minorUnits: unapplied.minorUnits - amount.minorUnits, currency: unapplied.currency),
                     method: method, reversedOn: reversedOn)
    }
}
