import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import Interchange
import Receivables
import RequestInput

/// The JSON API under /api/v1. Each route reads its input, calls one use case with the caller, and
/// writes the result; the rules, and the role checks, live in the use cases.
public struct BookAPI: Sendable {
    let storage: any BookStorage
    let today: @Sendable () -> Day

    /// Every route, as the OpenAPI document lists it (a test holds the two together), with the
    /// permission a caller needs for it.
    static let routes: [Route<BookAPI>] = [
        Route(.get, "aging", .readBook, BookAPI.aging), Route(.get, "customers", .readBook, BookAPI.customers),
        Route(.post, "customers", .writeBook, BookAPI.addCustomer), Route(.get, "customers/{code}/ledger", .readBook, BookAPI.ledger),
        Route(.post, "invoices", .writeBook, BookAPI.issueInvoice), Route(.get, "invoices/{number}", .readBook, BookAPI.invoice),
        Route(.post, "invoices/{number}/credit-notes", .writeBook, BookAPI.creditNote), Route(.post, "receipts", .writeBook, BookAPI.recordReceipt),
        Route(.post, "receipts/{reference}/allocations", .writeBook, BookAPI.allocate),
        Route(.post, "receipts/{reference}/reversal", .writeBook, BookAPI.reverseReceipt),
        Route(.post, "allocations/{id}/reversal", .writeBook, BookAPI.reverseAllocation), Route(.post, "imports/{kind}", .writeBook, BookAPI.importFile),
        Route(.get, "customers/{code}", .readBook, BookAPI.customer), Route(.get, "customers/{code}/advances", .readBook, BookAPI.advances),
        Route(.get, "invoices", .readBook, BookAPI.invoices), Route(.get, "journal", .readBook, BookAPI.journal),
        Route(.get, "dunning/plan", .readBook, BookAPI.dunningPlan), Route(.get, "worklist", .readBook, BookAPI.worklist),
        Route(.post, "customers/{code}/promises", .chase, BookAPI.recordPromise),
        Route(.post, "customers/{code}/activities", .chase, BookAPI.recordActivity),
        Route(.post, "invoices/{number}/disputes", .chase, BookAPI.openDispute),
    ]

    func register(on group: RouterGroup<AppRequestContext>) {
        Route.register(Self.routes, of: self, on: group)
    }

    @Sendable func aging(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let options = try Reports.AgingOptions.parse(asOf: query.get("as_of"), basis: query.get("basis"), buckets: query.get("buckets"),
                                                     currency: query.get("currency"), today: today())
        let report = try await Reports(storage: storage, caller: try context.requireCaller()).aging(options)
        return .json(AgingFormats.json(report))
    }

    @Sendable func customers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var limit = Limits.pageSizeDefault
        if let text = query.get("limit") {
            guard let value = Int(text), (1...Limits.pageSizeMax).contains(value) else {
                throw BookError.invalid(field: "limit", reason: "between 1 and \(Limits.pageSizeMax)")
            }
            limit = value
        }
        let after = query.get("after").map { Customer.Code(String($0)) }
        let page = try await Reports(storage: storage, caller: try context.requireCaller()).customers(after: after, limit: limit)
        let next: JSONText = page.count == limit ? page.last.map { .string($0.summary.code.rawValue) } ?? .null : .null
        return .json(.object([("customers", .array(page.map { DocumentJSON.customer($0.id, $0.summary) })), ("next", next)]))
    }

    @Sendable func addCustomer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: NewCustomerBody.self, context: context)
        let draft = CustomerDraft(code: Customer.Code(body.code), name: body.name, currency: try Field.currency(body.currency),
                                  terms: try Field.terms(body.payment_terms), creditLimit: body.credit_limit,
                                  category: body.category ?? "", email: body.email ?? "", phone: body.phone ?? "")
        let stored = try await Billing(storage: storage, caller: caller).addCustomer(draft)
        let customer = stored.customer
        return .json(DocumentJSON.customer(stored.id, CustomerSummary(code: customer.code, name: customer.name, currency: customer.currency,
                                                                      terms: customer.terms)), status: .created)
    }

    @Sendable func ledger(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let query = request.uri.queryParameters
        let from = try query.get("from").map { try Field.day(String($0), "from") }
        let to = try query.get("to").map { try Field.day(String($0), "to") } ?? today()
        let ledger = try await Reports(storage: storage, caller: try context.requireCaller())
            .ledger(customer: Customer.Code(code), from: from, to: to)
        return .json(LedgerFormats.json(ledger))
    }

    @Sendable func issueInvoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: NewInvoiceBody.self, context: context)
        let stored = try await Billing(storage: storage, caller: caller).issueInvoice(customer: Customer.Code(body.customer)) { customer in
            try DocumentInput.checkCurrency(body.currency, of: customer)
            return try DocumentInput.invoice(number: body.number, customer: customer, issueDate: body.issue_date,
                                             dueDate: body.due_date, amount: body.amount, description: body.description)
        }
        return .json(DocumentJSON.invoice(stored), status: .created)
    }

    @Sendable func recordReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: NewReceiptBody.self, context: context)
        let application = ReceiptApplication.named(body.invoice.flatMap { $0.isEmpty ? nil : DocumentNumber($0) },
                                                    autoAllocate: body.auto_allocate == true)
        let credit = try await Cash(storage: storage, caller: caller).recordReceipt(customer: Customer.Code(body.customer),
                                                                                   application: application) { customer in
            try DocumentInput.receipt(reference: body.reference, customer: customer, date: body.date, amount: body.amount,
                                      method: body.method, invoice: body.invoice, memo: body.memo)
        }
        return .json(DocumentJSON.credit(credit), status: .created)
    }

    @Sendable func allocate(_ request: Request, context: AppRequestContext) async throws -> Response {
        // The route's permission was checked before anything is read: a read-only caller learns nothing of the receipt.
        let caller = try context.requireCaller()
        let reference = DocumentNumber(try context.parameters.require("reference"))
        let body = try await request.decode(as: AllocationBody.self, context: context)
        let records = try await Cash(storage: storage, caller: caller)
            .allocate(credit: .receipt, reference: reference, to: DocumentNumber(body.invoice)) { currency in
                try body.amount.map { try Field.money($0, currency, "amount") }
            }
        return .json(.object([("allocations", .array(records.map(DocumentJSON.allocation)))]), status: .created)
    }

    @Sendable func invoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let number = DocumentNumber(try context.parameters.require("number"))
        let stored = try await Reports(storage: storage, caller: try context.requireCaller()).invoice(number)
        return .json(DocumentJSON.invoice(stored))
    }

    @Sendable func creditNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let invoiceNumber = DocumentNumber(try context.parameters.require("number"))
        let body = try await request.decode(as: CreditNoteBody.self, context: context)
        let credit = try await Billing(storage: storage, caller: caller).issueCreditNote(invoice: invoiceNumber) { stored in
            try DocumentInput.creditNote(number: body.number, invoice: stored, date: body.date, amount: body.amount, reason: body.reason)
        }
        return .json(DocumentJSON.credit(credit), status: .created)
    }

    @Sendable func reverseReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let reference = DocumentNumber(try context.parameters.require("reference"))
        let body = try await request.decode(as: ReversalBody.self, context: context)
        let credit = try await Cash(storage: storage, caller: caller)
            .reverseReceipt(reference, day: try Field.day(body.date, "date"), reason: body.reason)
        return .json(DocumentJSON.credit(credit), status: .created)
    }

    @Sendable func reverseAllocation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id: AllocationRecord.ID = try context.pathID()
        let body = try await request.decode(as: ReversalBody.self, context: context)
        let record = try await Cash(storage: storage, caller: caller)
            .reverseAllocation(id, day: try Field.day(body.date, "date"), reason: body.reason)
        return .json(DocumentJSON.allocation(record), status: .created)
    }

    @Sendable func customer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = Customer.Code(try context.parameters.require("code"))
        let asOf = today()
        let (stored, aging) = try await Reports(storage: storage, caller: try context.requireCaller()).customerStanding(code, asOf: asOf)
        let customer = stored.customer
        let zero = Money.zero(customer.currency)
        let amount = { (money: Money) in JSONText.string(money.decimalString) }
        return .json(.object([
            ("id", .int(stored.id.rawValue)), ("code", .string(customer.code.rawValue)), ("name", .string(customer.name)),
            ("currency", .string(customer.currency.code)), ("payment_terms", .string(customer.terms.description)),
            ("credit_limit", .string(customer.creditLimit.decimalString)), ("category", .string(customer.category)),
            ("email", .string(customer.email)), ("phone", .string(customer.phone)),
            ("as_of", .string(asOf.description)),
            ("open", amount(aging?.open ?? zero)), ("overdue", amount(aging?.overdue ?? zero)),
            ("unapplied", amount(aging?.unapplied ?? zero)), ("balance", amount(aging?.balance ?? zero)),
        ]))
    }

    @Sendable func advances(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = Customer.Code(try context.parameters.require("code"))
        let (_, credits) = try await Reports(storage: storage, caller: try context.requireCaller()).advances(customer: code)
        return .json(.object([("advances", .array(credits.map(DocumentJSON.credit)))]))
    }

    @Sendable func invoices(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let limit = try pageSize(query.get("limit"))
        let page = max(0, query.get("page").flatMap { Int($0) } ?? 0)
        var filter = InvoiceFilter(today: today(), limit: limit, offset: page * limit)
        var check = FieldCheck()
        if let text = query.get("status") {
            if let status = InvoiceFilter.Status(rawValue: text) { filter.status = status } else { check.note("status", "any, open, paid or overdue") }
        }
        filter.issuedFrom = check.optionalDay(query.get("from"), "from")
        filter.issuedTo = check.optionalDay(query.get("to"), "to")
        try check.done()
        let reports = Reports(storage: storage, caller: caller)
        if let code = query.get("customer"), !code.isEmpty {
            filter.customer = try await reports.customer(Customer.Code(code)).id
        }
        let rows = try await reports.invoices(filter)
        let list: [JSONText] = rows.map { row, customer in
            .object([("number", .string(row.number.rawValue)), ("customer", .string(customer.code.rawValue)),
                     ("issue_date", .string(row.issue.description)), ("due_date", .string(row.due.description)),
                     ("amount", .string(row.amount.decimalString)), ("open", .string(row.open.decimalString)),
                     ("currency", .string(row.amount.currency.code))])
        }
        return .json(.object([("invoices", .array(list)), ("next_page", rows.count == limit ? .int(Int64(page + 1)) : .null)]))
    }

    @Sendable func journal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        var check = FieldCheck()
        let from = check.optionalDay(query.get("from"), "from") ?? Day(ordinal: Int32.min / 2)
        let to = check.optionalDay(query.get("to"), "to") ?? today()
        try check.done()
        let limit = try pageSize(query.get("limit"))
        let after = JournalEntry.ID(query.get("after").flatMap { Int64($0) } ?? 0)
        let entries = try await Reports(storage: storage, caller: caller).journal(from: from, to: to, after: after, limit: limit)
        let list: [JSONText] = entries.map { id, entry in
            .object([("id", .id(id)), ("date", .string(entry.day.description)), ("kind", .string(entry.kind.rawValue)),
                     ("document", .string(entry.document)),
                     ("lines", .array(entry.lines.map { line in
                         .object([("account", .string(line.account.code)),
                                  ("debit", .string(line.amount.isPositive ? line.amount.decimalString : "0.00")),
                                  ("credit", .string(line.amount.isNegative ? Money(minorUnits: -line.amount.minorUnits, currency: line.amount.currency).decimalString : "0.00"))])
                     }))])
        }
        return .json(.object([("entries", .array(list)), ("next", entries.count == limit ? entries.last.map { .id($0.id) } ?? .null : .null)]))
    }

    private func pageSize(_ text: String?) throws -> Int {
        guard let text else { return Limits.pageSizeDefault }
        guard let value = Int(text), (1...Limits.pageSizeMax).contains(value) else {
            throw BookError.invalid(field: "limit", reason: "between 1 and \(Limits.pageSizeMax)")
        }
        return value
    }

    /// A CSV file in the body, imported all or nothing exactly as `arbook import` does.
    @Sendable func importFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        guard let kind = ImportKind(rawValue: try context.parameters.require("kind")) else {
            throw BookError.invalid(field: "kind", reason: "customers, invoices or receipts")
        }
        let query = request.uri.queryParameters
        var request = request
        let body = try await request.collectBody(upTo: Uploads.bytesMax)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("arbook-api-import-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(buffer: body)) else {
            throw Problem(status: .internalServerError, title: "Upload failed", detail: "the file could not be kept")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try await Importer(storage: storage, caller: caller).importFile(
            kind, path: path, options: .init(autoAllocate: query.get("auto_allocate") == "true", fileName: "api upload",
                                              dryRun: query.get("dry_run") == "true"))
        switch outcome {
        case .imported(let summary):
            return .json(.object([("status", .string("imported")), ("rows", .int(Int64(summary.rows))), ("encoding", .string(summary.encoding))]),
                         status: .created)
        case .checked(let summary):
            return .json(.object([("status", .string("checked")), ("rows", .int(Int64(summary.rows))), ("encoding", .string(summary.encoding))]))
        case .alreadyImported(let batch):
            return .json(.object([("status", .string("already_imported")), ("rows", .int(Int64(batch.rows))),
                                  ("imported_at", .string(batch.importedAt))]))
        }
    }
}
