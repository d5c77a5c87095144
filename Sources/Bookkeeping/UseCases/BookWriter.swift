import Receivables

/// The steps of the use cases inside one open transaction.
///
/// Each public use case (`Billing`, `Cash`) is one `write` around one of these steps; an import
/// runs thousands of steps in one transaction. The steps read what they need, ask the domain what
/// follows and write documents, allocations and the journal entry together.
public struct BookWriter {
    public let tx: any BookTransaction
    public let settings: BookSettings
    public let caller: Caller
    /// False inside an import, which audits the whole batch once instead of each row.
    public var auditsEachWrite = true
    public var posting: Posting { Posting(chart: settings.chart) }

    public init(_ tx: any BookTransaction, caller: Caller) throws {
        self.tx = tx
        self.settings = try tx.settings()
        self.caller = caller
    }

    /// Runs a storage call, turning a duplicate key into `BookError.duplicate` on `field`.
    func storing<T>(field: String, value: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StorageError where error.code == .duplicate {
            throw BookError.duplicate(field: field, value: value)
        }
    }

    func requireCustomer(_ code: Customer.Code) throws -> StoredCustomer {
        guard let stored = try tx.customer(code: code) else {
            throw BookError.notFound(what: "customer", key: code.rawValue)
        }
        return stored
    }

    func requireInvoice(_ number: DocumentNumber) throws -> StoredInvoice {
        guard let stored = try tx.invoice(number: number) else {
            throw BookError.notFound(what: "invoice", key: number.rawValue)
        }
        return stored
    }
}

extension BookStorage {
    /// One use case: the caller's permission checked, then a `BookWriter` over one write transaction.
    public func writing<T: Sendable>(_ caller: Caller, _ permission: Permission = .writeBook,
                              _ work: @escaping @Sendable (BookWriter) throws -> T) async throws -> T {
        try caller.principal.require(permission)
        return try await write { tx in try work(BookWriter(tx, caller: caller)) }
    }
}
