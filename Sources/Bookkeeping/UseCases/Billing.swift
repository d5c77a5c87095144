import Receivables

/// Customers, invoices and credit notes.
public struct Billing: Sendable {
    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    public func addCustomer(_ customer: Customer) async throws -> Customer.ID {
        try await storage.writing(caller) { try $0.addCustomer(customer) }
    }

    /// Adds a customer from what a user typed: without a currency the book's, and the credit limit read
    /// in the customer's currency.
    public func addCustomer(_ draft: CustomerDraft) async throws -> StoredCustomer {
        try await storage.writing(caller) { writer in
            let currency = draft.currency ?? writer.settings.currency
            var limit: Money?
            if let text = draft.creditLimit, !text.isEmpty {
                do { limit = try Money.parse(text, currency: currency) } catch {
                    throw BookError.invalid(field: "credit_limit", reason: "\(error)")
                }
            }
            let customer = Customer(code: draft.code, name: draft.name, currency: currency, terms: draft.terms, creditLimit: limit,
                                    category: draft.category, email: draft.email, phone: draft.phone)
            return StoredCustomer(id: try writer.addCustomer(customer), customer: customer, collector: nil)
        }
    }

    public func issueInvoice(_ draft: InvoiceDraft) async throws -> StoredInvoice {
        try await storage.writing(caller) { try $0.issueInvoice(draft) }
    }

    /// Changes a customer from what a user typed: name, terms, credit limit (in the customer's currency),
    /// category, email and phone. The code and the currency stay (documents carry them); the change is in
    /// the audit trail with the values before and after, which is the customer's history of changes.
    public func updateCustomer(_ code: Customer.Code, _ draft: CustomerDraft) async throws -> StoredCustomer {
        let principal = caller.principal
        return try await storage.writing(caller) { writer in
            let stored = try Reports.visibleCustomer(code, reader: writer.tx, principal: principal)
            var customer = stored.customer
            if let currency = draft.currency, currency != customer.currency {
                throw BookError.invalid(field: "currency", reason: "a customer's currency cannot change (\(customer.currency.code))")
            }
            var limit = Money.zero(customer.currency)
            if let text = draft.creditLimit, !text.isEmpty {
                do { limit = try Money.parse(text, currency: customer.currency) } catch {
                    throw BookError.invalid(field: "credit_limit", reason: "\(error)")
                }
            }
            customer.name = draft.name
            customer.terms = draft.terms
            customer.creditLimit = limit
            customer.category = draft.category
            customer.email = draft.email
            customer.phone = draft.phone
            do throws(CustomerRejection) { try customer.validate() } catch {
                throw BookError.invalid(field: error.field, reason: error.description)
            }
            guard customer != stored.customer else { return stored }
            try writer.tx.updateCustomer(id: stored.id, customer)
            try writer.audit("update", "customer", key: code.rawValue, before: AuditJSON.customer(stored.customer), after: AuditJSON.customer(customer))
            return StoredCustomer(id: stored.id, customer: customer, collector: stored.collector)
        }
    }

    public func issueCreditNote(_ note: CreditNote) async throws -> StoredCredit {
        try await storage.writing(caller) { try $0.issueCreditNote(note) }
    }

    /// Issues an invoice built from the customer it is for (whose currency its amount is read in)
    /// inside the same transaction: one transaction per request, not a read and then a write. A
    /// customer the caller may not see is "not found", as in every read.
    public func issueInvoice(customer code: Customer.Code,
                             _ build: @escaping @Sendable (StoredCustomer) throws -> InvoiceDraft) async throws -> StoredInvoice {
        let principal = caller.principal
        return try await storage.writing(caller) { writer in
            let customer = try Reports.visibleCustomer(code, reader: writer.tx, principal: principal)
            let draft = try build(customer)
            guard draft.customer == customer.customer.code else {
                throw BookError.invalid(field: "customer", reason: "the invoice names another customer")
            }
            return try writer.issueInvoice(draft, customer: customer.id, currency: customer.customer.currency, terms: customer.customer.terms)
        }
    }

    /// Issues a credit note built from the invoice it lowers, inside the same transaction.
    public func issueCreditNote(invoice number: DocumentNumber,
                                _ build: @escaping @Sendable (StoredInvoice) throws -> CreditNote) async throws -> StoredCredit {
        let principal = caller.principal
        return try await storage.writing(caller) { writer in
            let invoice = try Reports.visibleInvoice(number, reader: writer.tx, principal: principal).invoice
            let note = try build(invoice)
            guard note.invoice == number else { throw BookError.invalid(field: "invoice", reason: "the credit note names another invoice") }
            return try writer.issueCreditNote(note)
        }
    }
}

/// What a user gives to add a customer; nil currency: the book's.
public struct CustomerDraft: Hashable, Sendable {
    public var code: Customer.Code
    public var name: String
    public var currency: Currency?
    public var terms: PaymentTerms
    /// A decimal amount in the customer's currency.
    public var creditLimit: String?
    public var category: String
    public var email: String
    public var phone: String

    public init(code: Customer.Code, name: String, currency: Currency? = nil, terms: PaymentTerms = .net(30), creditLimit: String? = nil,
                category: String = "", email: String = "", phone: String = "") {
        self.code = code
        self.name = name
        self.currency = currency
        self.terms = terms
        self.creditLimit = creditLimit
        self.category = category
        self.email = email
        self.phone = phone
    }
}

/// What a user gives to issue an invoice; the customer's terms decide the due schedule unless a
/// due day is given.
public struct InvoiceDraft: Hashable, Sendable {
    public let number: DocumentNumber
    public let customer: Customer.Code
    public let issue: Day
    public let amount: Money
    public let due: Day?
    public let description: String
    public let lines: [InvoiceLine]
    public init(number: DocumentNumber, customer: Customer.Code, issue: Day, amount: Money, due: Day? = nil,
                description: String = "", lines: [InvoiceLine] = []) {
        self.number = number
        self.customer = customer
        self.issue = issue
        self.amount = amount
        self.due = due
        self.description = description
        self.lines = lines
    }
}

extension BookWriter {
    public func addCustomer(_ customer: Customer) throws -> Customer.ID {
        do { try customer.validate() } catch { throw BookError.invalid(field: error.field, reason: error.description) }
        let id = try storing(field: "code", value: customer.code.rawValue) { try tx.insertCustomer(customer) }
        if auditsEachWrite { try audit("create", "customer", key: customer.code.rawValue, after: AuditJSON.customer(customer)) }
        return id
    }

    public func issueInvoice(_ draft: InvoiceDraft) throws -> StoredInvoice {
        let customer = try requireCustomer(draft.customer)
        return try issueInvoice(draft, customer: customer.id, currency: customer.customer.currency, terms: customer.customer.terms)
    }

    /// Issues an invoice for a customer already looked up (imports cache their customers).
    public func issueInvoice(_ draft: InvoiceDraft, customer: Customer.ID, currency: Currency,
                             terms: PaymentTerms) throws -> StoredInvoice {
        try post(Self.invoice(from: draft, currency: currency, terms: terms), customer: customer)
    }

    /// The invoice a draft makes under the customer's terms, checked by the domain; writes nothing,
    /// so an import can prepare invoices on another thread.
    public static func invoice(from draft: InvoiceDraft, currency: Currency, terms: PaymentTerms) throws -> Invoice {
        guard draft.amount.currency == currency else {
            throw BookError.currencyMismatch(field: "currency", expected: currency, got: draft.amount.currency)
        }
        do {
            return try Invoice(number: draft.number, customer: draft.customer, issue: draft.issue, amount: draft.amount,
                               due: draft.due, terms: terms, description: draft.description, lines: draft.lines)
        } catch {
            throw BookError.invalid(field: field(of: error), reason: error.description)
        }
    }

    /// Writes a checked invoice, its open items and its journal entry.
    public func post(_ invoice: Invoice, customer: Customer.ID) throws -> StoredInvoice {
        let entry = posting.invoice(invoice, customer: customer)
        let stored = try storing(field: "number", value: invoice.number.rawValue) {
            try tx.insertInvoice(invoice, customer: customer, entry: entry)
        }
        if auditsEachWrite { try audit("issue", "invoice", key: invoice.number.rawValue, after: AuditJSON.invoice(invoice)) }
        return StoredInvoice(id: stored.id, customer: customer, invoice: invoice)
    }

    /// A credit note lowers the invoice's open items, latest due first; whatever the invoice no longer
    /// has open (it was paid) stays with the customer as an unapplied credit.
    public func issueCreditNote(_ note: CreditNote, income: Account? = nil) throws -> StoredCredit {
        let invoice = try requireInvoice(note.invoice)
        // A late fee is lowered only by a manager's waiver, which posts back against fee income.
        if income == nil, try tx.isLateFee(invoice: invoice.id) {
            throw BookError.invalid(field: "invoice", reason: "\(note.invoice) is a late fee: a manager waives it instead")
        }
        let currency = invoice.invoice.amount.currency
        guard note.amount.currency == currency else {
            throw BookError.currencyMismatch(field: "currency", expected: currency, got: note.amount.currency)
        }
        guard note.day >= invoice.invoice.issue else {
            throw BookError.invalid(field: "day", reason: "a credit note cannot be dated before its invoice (\(invoice.invoice.issue))")
        }
        let credited = try tx.creditNotesTotal(invoice: invoice.id, currency: currency)
        let room = try invoice.invoice.amount.subtracting(credited)
        guard note.amount <= room else {
            throw BookError.invalid(field: "amount", reason: "credit notes would exceed the invoice; \(room.decimalString) can still be credited")
        }
        let items = try tx.openItems(invoice: invoice.id).sorted { ($0.due, $0.id) > ($1.due, $1.id) }
        let plan = AllocationRule.fill(available: note.amount, in: items)
        let applied = try Money.total(plan.map(\.amount), in: currency)
        let entry = posting.creditNote(note, of: invoice.invoice, customer: invoice.customer, applied: applied, income: income)
        let entryID = try tx.insertEntry(entry, customer: invoice.customer)
        let creditID = try storing(field: "number", value: note.number.rawValue) {
            try tx.insertCredit(NewCredit(kind: .creditNote, reference: note.number, customer: invoice.customer,
                                          day: note.day, amount: note.amount, method: nil, invoice: invoice.id,
                                          memo: note.reason), entry: entryID)
        }
        var credit = StoredCredit(id: creditID, kind: .creditNote, reference: note.number, customer: invoice.customer,
                                  day: note.day, amount: note.amount, unapplied: note.amount, method: nil, reversedOn: nil)
        for (item, amount) in plan {
            credit = try apply(amount, of: credit, to: item, entry: entryID).credit
        }
        if auditsEachWrite { try audit("issue", "credit_note", key: note.number.rawValue, after: AuditJSON.credit(credit)) }
        return credit
    }

    public static func field(of rejection: DocumentRejection) -> String {
        switch rejection {
        case .numberEmpty(let field), .numberTooLong(let field, _), .numberHasSpaces(let field), .controlCharacters(let field): field
        case .amountNotPositive, .amountTooLarge, .amountOverLimit, .linesDoNotMatchAmount: "amount"
        case .dueBeforeIssue: "due_date"
        case .descriptionTooLong, .tooManyLines: "description"
        case .reasonMissing: "reason"
        }
    }
}
