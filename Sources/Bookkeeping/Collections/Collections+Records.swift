import Receivables

extension Collections {
    /// Records a promise to pay (承诺付款) by `due` for one invoice or (without one) the whole account;
    /// dunning pauses for what it covers until then.
    public func promise(customer code: Customer.Code, invoice: DocumentNumber?, amount text: String, made: Day, due: Day,
                        note: String) async throws -> PromiseToPay.ID {
        let principal = caller.principal
        guard note.count <= 500 else { throw BookError.invalid(field: "note", reason: "at most 500 characters") }
        guard due >= made else { throw BookError.invalid(field: "due", reason: "a promise is to pay on or after the day it is made") }
        guard made.distance(to: due) <= 366 else { throw BookError.invalid(field: "due", reason: "within a year of the promise") }
        return try await storage.writing(caller, .chase) { writer in
            let customer = try Reports.visibleCustomer(code, reader: writer.tx, principal: principal)
            let amount = try Self.amount(text, customer.customer.currency)
            var invoiceID: Invoice.ID?
            if let invoice {
                guard let stored = try writer.tx.invoice(number: invoice), stored.customer == customer.id else {
                    throw BookError.notFound(what: "invoice", key: invoice.rawValue)
                }
                invoiceID = stored.id
            }
            // A promise to pay more than is owed (the invoice's open amount, or all the customer's) is a typing error.
            let items = try invoiceID.map { try writer.tx.openItems(invoice: $0) } ?? writer.tx.openItems(customer: customer.id)
            let owed = try Money.total(items.map(\.open), in: amount.currency)
            guard amount <= owed else {
                throw BookError.invalid(field: "amount", reason: "at most what is owed (\(owed.decimalString))")
            }
            let id = try writer.tx.insertPromise(customer: customer.id, invoice: invoiceID, amount: amount, made: made, due: due,
                                                 recordedBy: principal.name, note: note, at: writer.caller.now())
            try writer.audit("promise", "customer", key: code.rawValue, after: .object([
                ("id", .int(id.rawValue)), ("invoice", invoice.map { .string($0.rawValue) } ?? .null), ("amount", AuditJSON.money(amount)),
                ("due", .string(due.description)), ("note", .string(note)),
            ]))
            return id
        }
    }

    /// Opens a dispute (争议) on an invoice for `amount` (nil: all it has open): the amount stays in aging
    /// and leaves dunning until the dispute is resolved or rejected.
    public func openDispute(invoice number: DocumentNumber, amount text: String?, reason: String, day: Day) async throws -> DisputeRecord.ID {
        let principal = caller.principal
        guard (1...500).contains(reason.count) else { throw BookError.invalid(field: "reason", reason: "1 to 500 characters") }
        return try await storage.writing(caller, .chase) { writer in
            let (invoice, customer) = try Reports.visibleInvoice(number, reader: writer.tx, principal: principal)
            let currency = customer.customer.currency
            let open = try Money.total(writer.tx.openItems(invoice: invoice.id).map(\.open), in: currency)
            let amount = try text.map { try Self.amount($0, currency) } ?? open
            guard amount.isPositive, amount <= open else {
                throw BookError.invalid(field: "amount", reason: "between 0.01 and what the invoice has open (\(open.decimalString))")
            }
            let id = try writer.tx.insertDispute(customer: customer.id, invoice: invoice.id, amount: amount, reason: reason, opened: day,
                                                 owner: principal.name, at: writer.caller.now())
            try writer.audit("open", "dispute", key: id.description, after: .object([
                ("invoice", .string(number.rawValue)), ("amount", AuditJSON.money(amount)),
                ("reason", .string(reason)),
            ]))
            return id
        }
    }

    /// Closes a dispute: resolved by the credit note `creditNote` (issued with it, for the disputed amount
    /// or `amount`), or rejected, so that dunning takes the amount up again.
    public func closeDispute(_ id: DisputeRecord.ID, resolved: Bool, creditNote: DocumentNumber?, amount text: String?, day: Day,
                             resolution: String) async throws {
        let principal = caller.principal
        guard (1...500).contains(resolution.count) else { throw BookError.invalid(field: "resolution", reason: "1 to 500 characters") }
        try await storage.writing(caller, resolved && creditNote != nil ? .writeBook : .chase) { writer in
            // A dispute on an invoice the caller may not see reads exactly as one that does not exist.
            let missing = BookError.notFound(what: "open dispute", key: id.description)
            guard let dispute = try writer.tx.dispute(id: id), dispute.status == .open,
                  let visible = try? Reports.visibleInvoice(dispute.invoice, reader: writer.tx, principal: principal) else {
                throw missing
            }
            var credit: Credit.ID?
            if resolved, let creditNote {
                let currency = visible.customer.customer.currency
                let amount = try text.map { try Self.amount($0, currency) } ?? dispute.amount
                let note = try Self.creditNote(creditNote, invoice: dispute.invoice, day: day, amount: amount, reason: resolution)
                credit = try writer.issueCreditNote(note).id
            }
            try writer.tx.closeDispute(id, status: resolved ? .resolved : .rejected, day: day, resolution: resolution, creditNote: credit)
            try writer.audit(resolved ? "resolve" : "reject", "dispute", key: id.description, after: .object([
                ("resolution", .string(resolution)), ("credit_note", creditNote.map { .string($0.rawValue) } ?? .null),
            ]))
        }
    }

    public func disputes(status: DisputeStatus?) async throws -> [DisputeRecord] {
        try await disputesWithCustomers(status: status).map(\.dispute)
    }

    /// The disputes the caller sees, each with its customer's code and name.
    public func disputesWithCustomers(status: DisputeStatus?) async throws -> [(dispute: DisputeRecord, customer: CustomerSummary)] {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let directory = try reader.customerDirectory()
            return try reader.disputes(status: status).compactMap { dispute in
                directory[dispute.customer].flatMap { principal.sees($0) ? (dispute, $0) : nil }
            }
        }
    }

    /// Exempts a customer from dunning (or ends the exemption).
    public func exempt(_ code: Customer.Code, _ exempt: Bool) async throws {
        try await storage.writing(caller, .configureCollections) { writer in
            let customer = try writer.requireCustomer(code)
            try writer.tx.setDunningExempt(customer: customer.id, exempt: exempt)
            try writer.audit(exempt ? "exempt" : "unexempt", "customer", key: code.rawValue, after: .bool(exempt))
        }
    }

    /// Lifts a credit hold (停止供货) set by dunning.
    public func releaseHold(_ code: Customer.Code) async throws {
        try await storage.writing(caller, .configureCollections) { writer in
            let customer = try writer.requireCustomer(code)
            try writer.tx.setCreditHold(customer: customer.id, since: nil)
            try writer.audit("release_hold", "customer", key: code.rawValue, after: nil)
        }
    }

    /// Waives a late fee: a credit note on the fee receivable, posted back against fee income, by a manager.
    public func waiveFee(_ number: DocumentNumber, waiver: DocumentNumber, day: Day, reason: String) async throws -> StoredCredit {
        guard (1...500).contains(reason.count) else { throw BookError.invalid(field: "reason", reason: "1 to 500 characters") }
        return try await storage.writing(caller, .waiveFees) { writer in
            let invoice = try writer.requireInvoice(number)
            guard try writer.tx.isLateFee(invoice: invoice.id) else {
                throw BookError.invalid(field: "invoice", reason: "\(number) is not a late fee")
            }
            let open = try Money.total(writer.tx.openItems(invoice: invoice.id).map(\.open), in: invoice.invoice.amount.currency)
            guard open.isPositive else { throw BookError.invalid(field: "invoice", reason: "\(number) has nothing open to waive") }
            let note = try Self.creditNote(waiver, invoice: number, day: day, amount: open, reason: reason)
            let credit = try writer.issueCreditNote(note, income: writer.settings.chart.feeIncome)
            try writer.audit("waive", "late_fee", key: number.rawValue, after: .object([("credit_note", .string(waiver.rawValue)),
                                                                                         ("reason", .string(reason))]))
            return credit
        }
    }

    /// Stores a policy from its JSON definition (checked first) and assigns it to `categories` and to
    /// `customers` (a customer's own policy — their contract's terms — comes before their category's).
    public func savePolicy(_ definition: String, categories: [String], customers: [Customer.Code] = []) async throws -> DunningPolicy {
        try await storage.writing(caller, .configureCollections) { writer in
            let policy = try PolicyDefinition.policy(from: definition, currency: writer.settings.currency)
            try writer.tx.saveDunningPolicy(name: policy.name, definition: definition, at: writer.caller.now())
            for category in categories { try writer.tx.assignDunningPolicy(category: category, policy: policy.name) }
            for code in customers { try writer.tx.assignDunningPolicy(customer: writer.requireCustomer(code).id, policy: policy.name) }
            try writer.audit("save", "dunning_policy", key: policy.name, after: .object([
                ("categories", .array(categories.map { .string($0) })), ("customers", .array(customers.map { .string($0.rawValue) })),
            ]))
            return policy
        }
    }

    /// The language dunning writes to the customer in: "zh-CN" or "en".
    public func setLanguage(_ code: Customer.Code, _ language: String) async throws {
        guard DunningLetter.languages.contains(language) else {
            throw BookError.invalid(field: "language", reason: DunningLetter.languages.joined(separator: " or "))
        }
        try await storage.writing(caller, .configureCollections) { writer in
            try writer.tx.setCustomerLanguage(customer: writer.requireCustomer(code).id, language: language)
            try writer.audit("language", "customer", key: code.rawValue, after: .string(language))
        }
    }

    static func creditNote(_ number: DocumentNumber, invoice: DocumentNumber, day: Day, amount: Money, reason: String) throws -> CreditNote {
        do {
            return try CreditNote(number: number, invoice: invoice, day: day, amount: amount, reason: reason)
        } catch {
            throw BookError.invalid(field: BookWriter.field(of: error), reason: error.description)
        }
    }

    static func amount(_ text: String, _ currency: Currency) throws -> Money {
        let money: Money
        do { money = try Money.parse(text, currency: currency) } catch {
            throw BookError.invalid(field: "amount", reason: "an amount such as 1,234.50")
        }
        guard money.isPositive else { throw BookError.invalid(field: "amount", reason: "must be positive") }
        return money
    }
}
