import Receivables

/// Aging, customer ledgers and the book's self-check: reads only.
public struct Reports: Sendable {
    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    public struct AgingOptions: Hashable, Sendable {
        public var asOf: Day
        public var basis: AgingBasis
        public var buckets: AgingBuckets
        /// nil: the book's currency.
        public var currency: Currency?
        public init(asOf: Day, basis: AgingBasis = .due, buckets: AgingBuckets = .standard, currency: Currency? = nil) {
            self.asOf = asOf
            self.basis = basis
            self.buckets = buckets
            self.currency = currency
        }

        /// The options as the command line, the API and the pages take them, one parser for all three:
        /// text as typed, nil or empty for the default (today, due day, 30/60/90, the book's currency).
        /// A refusal names the field as the caller calls it (`name("as_of")` is `--as-of` on the command line).
        public static func parse(asOf: String?, basis: String?, buckets: String?, currency: String?, today: Day,
                                 name: (String) -> String = { $0 }) throws -> AgingOptions {
            func given(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
            var options = AgingOptions(asOf: today)
            if let text = given(asOf) {
                do { options.asOf = try Day.parse(text) } catch { throw BookError.invalid(field: name("as_of"), reason: error.description) }
            }
            if let text = given(basis) {
                guard let parsed = AgingBasis(rawValue: text) else { throw BookError.invalid(field: name("basis"), reason: "due or invoice") }
                options.basis = parsed
            }
            if let text = given(buckets) {
                do { options.buckets = try AgingBuckets.parse(text) } catch { throw BookError.invalid(field: name("buckets"), reason: error.description) }
            }
            if let text = given(currency) {
                guard let parsed = Currency(code: text) else {
                    throw BookError.invalid(field: name("currency"), reason: "'\(text)' is not an ISO 4217 currency code")
                }
                options.currency = parsed
            }
            return options
        }
    }

    /// Aging as of a day: what is dated after it is ignored, so the answer never changes later.
    /// A collector's report holds only the customers assigned to them.
    public func aging(_ options: AgingOptions) async throws -> AgingReport {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in try Self.aging(options, reader: reader, principal: principal) }
    }

    static func aging(_ options: AgingOptions, reader: any BookReader, principal: Principal,
                      directory known: [Customer.ID: CustomerSummary]? = nil) throws -> AgingReport {
        let currency = try options.currency ?? reader.settings().currency
        let directory = try known ?? reader.customerDirectory()
        // Customers hold one currency each, so the report's customers are those of its currency.
        var included = [Bool](repeating: false, count: Int((directory.keys.map(\.rawValue).max() ?? 0) + 1))
        for (id, summary) in directory where summary.currency == currency && principal.sees(summary) {
            included[Int(id.rawValue)] = true
        }
        var accumulator = AgingAccumulator(asOf: options.asOf, basis: options.basis, buckets: options.buckets, currency: currency)
        try reader.visitOpenAmounts(asOf: options.asOf) { piece in
            guard included[Int(piece.customer.rawValue)] else { return }
            try accumulator.addOpen(customer: piece.customer, issue: piece.issue, due: piece.due, minorUnits: piece.minorUnits)
        }
        try reader.visitUnappliedAmounts(asOf: options.asOf) { piece in
            guard included[Int(piece.customer.rawValue)] else { return }
            try accumulator.addUnapplied(customer: piece.customer, minorUnits: piece.minorUnits)
        }
        return try accumulator.report(names: directory.mapValues { ($0.code, $0.name) })
    }

    /// The customer's account between two days: the opening balance is everything before `from`.
    public func ledger(customer code: Customer.Code, from: Day?, to: Day) async throws -> CustomerLedger {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            // A customer the caller may not see is reported as missing, so that guessing codes reveals nothing.
            let stored = try Self.visibleCustomer(code, reader: reader, principal: principal)
            if let from, from > to { throw BookError.invalid(field: "from", reason: "is after 'to'") }
            let (opening, movements) = try reader.ledgerMovements(customer: stored.id, currency: stored.customer.currency, from: from, to: to,
                                                                  chart: reader.settings().chart)
            return try CustomerLedger(customer: code, name: stored.customer.name, currency: stored.customer.currency,
                                  from: from, to: to, opening: opening, movements: movements)
        }
    }

    /// An invoice, for a caller who may see its customer.
    public func invoice(_ number: DocumentNumber) async throws -> StoredInvoice {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in try Self.visibleInvoice(number, reader: reader, principal: principal).invoice }
    }

    /// A customer the caller may see.
    public func customer(_ code: Customer.Code) async throws -> StoredCustomer {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in try Self.visibleCustomer(code, reader: reader, principal: principal) }
    }

    /// A receipt of a customer the caller may see.
    public func receipt(_ reference: DocumentNumber) async throws -> StoredCredit {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in try Self.visibleReceipt(reference, reader: reader, principal: principal).receipt }
    }

    /// A customer, or "not found" when the principal may not see it — exactly as a code that does not
    /// exist, so that guessing codes reveals nothing.
    static func visibleCustomer(_ code: Customer.Code, reader: any BookReader, principal: Principal) throws -> StoredCustomer {
        guard let stored = try reader.customer(code: code), principal.sees(stored.collector) else {
            throw BookError.notFound(what: "customer", key: code.rawValue)
        }
        return stored
    }

    /// An invoice and its customer, or "not found" when the principal may not see the customer.
    static func visibleInvoice(_ number: DocumentNumber, reader: any BookReader,
                               principal: Principal) throws -> (invoice: StoredInvoice, customer: StoredCustomer) {
        guard let stored = try reader.invoice(number: number), let customer = try reader.customer(id: stored.customer),
              principal.sees(customer.collector) else {
            throw BookError.notFound(what: "invoice", key: number.rawValue)
        }
        return (stored, customer)
    }

    /// A customer and the invoices it has open, oldest due first, for a caller who may see it.
    public func openInvoices(customer code: Customer.Code) async throws -> (customer: StoredCustomer, invoices: [OpenInvoice]) {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let stored = try Self.visibleCustomer(code, reader: reader, principal: principal)
            return (stored, try reader.openInvoices(customer: stored.id))
        }
    }

    /// A page of customers the caller may see, ordered by code, after `after`.
    public func customers(after: Customer.Code?, limit: Int) async throws -> [StoredCustomerSummary] {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            try reader.customerDirectory()
                .filter { principal.sees($0.value) && (after == nil || $0.value.code > after!) }
                .map { StoredCustomerSummary(id: $0.key, summary: $0.value) }
                .sorted { $0.summary.code < $1.summary.code }
                .prefix(limit).map { $0 }
        }
    }
}

/// A customer in a list: the book's id and the summary.
public struct StoredCustomerSummary: Hashable, Sendable {
    public let id: Customer.ID
    public let summary: CustomerSummary
}
