import Bookkeeping
import Foundation
import Hummingbird
import Receivables
import RequestInput

/// The customer page (standing, aging, open invoices, the account, the collections timeline and its
/// forms), the customer's statement for any period, the form that creates or changes a customer, and
/// the customer's history of changes.
extension Pages {
    static let customerRoutes: [Route<Pages>] = [
        Route(.get, "customers/new", .writeBook, Pages.newCustomerForm), Route(.post, "customers", .writeBook, Pages.createCustomer),
        Route(.get, "customers/{code}/edit", .writeBook, Pages.editCustomerForm), Route(.post, "customers/{code}", .writeBook, Pages.updateCustomer),
        Route(.get, "customers/{code}/statement", .readBook, Pages.statement), Route(.get, "customers/{code}/history", .readBook, Pages.customerHistory),
    ]

    @Sendable func customer(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await customerPage(request, context: context, code: Customer.Code(try context.parameters.require("code")), form: nil)
    }

    /// The customer page; `form` is one of its collections forms sent back (an activity, a promise, a dispute).
    func customerPage(_ request: Request, context: AppRequestContext, code: Customer.Code, form: FormState?) async throws -> Response {
        let caller = try context.requireCaller()
        let day = today()
        let ledgerFrom = day.advanced(by: -90)
        let file = try await Reports(storage: storage, caller: caller).customerFile(code, today: day, ledgerFrom: ledgerFrom)
        let customer = file.customer.customer
        let zero = Money.zero(customer.currency)
        let language = UILanguage.of(request)
        let words = Words(language)
        let role = caller.principal.role
        let hold = try await Collections(storage: storage, caller: caller).holds().first { $0.code == customer.code }
        let view = CustomerView(
            code: customer.code.rawValue, link: Self.pathPart(customer.code.rawValue), name: customer.name, currency: customer.currency.code,
            terms: words.terms(customer.terms),
            openCount: file.openInvoiceCount, openShown: file.openInvoices.count, openMore: file.openInvoiceCount > file.openInvoices.count,
            creditCount: file.unappliedCount, creditShown: file.unappliedCredits.count,
            creditMore: file.unappliedCount > file.unappliedCredits.count, ledgerAsked: ledgerFrom.description,
            limit: customer.creditLimit.isPositive ? Display.money(customer.creditLimit) : words["no_limit", or: "none"],
            category: customer.category, email: customer.email, phone: customer.phone,
            labels: Self.bucketLabels(file.buckets, language),
            cells: (file.aging?.buckets ?? Array(repeating: zero, count: file.buckets.labels.count)).map(Display.money),
            balance: Display.money(file.aging?.balance ?? zero), unapplied: Display.money(file.aging?.unapplied ?? zero),
            invoices: file.openInvoices.map {
                .init(number: $0.number.rawValue, link: Self.pathPart($0.number.rawValue), issue: $0.issue.description, due: $0.due.description,
                      amount: Display.money($0.amount), open: Display.money($0.open), overdue: $0.isOverdue(asOf: day),
                      daysOverdue: $0.isOverdue(asOf: day) ? String($0.due.distance(to: day)) : "")
            },
            credits: file.unappliedCredits.map {
                .init(reference: $0.reference.rawValue, link: $0.kind == .receipt ? "/receipts/" + Self.pathPart($0.reference.rawValue) : nil,
                      kind: words.entity($0.kind.rawValue), date: $0.day.description, amount: Display.money($0.amount),
                      unapplied: Display.money($0.unapplied))
            },
            ledgerFrom: file.ledger.from?.description ?? "", opening: Display.money(file.ledger.opening),
            closing: Display.money(file.ledger.closing),
            lines: file.ledger.lines.map {
                .init(day: $0.day.description, document: $0.document, kind: words.entryKind($0.kind.rawValue), debit: Display.moneyUnlessZero($0.debit),
                      credit: Display.moneyUnlessZero($0.credit), balance: Display.money($0.balance))
            },
            ledgerEarlier: file.ledgerLinesNotShown > 0 ? file.ledgerLinesNotShown : nil,
            timeline: try await timeline(customer.code, caller: caller, language: language),
            canChase: role.allows(.chase), canWrite: role.allows(.writeBook), onHoldSince: hold?.since.description,
            canRelease: role.allows(.configureCollections), today: day.description,
            activityKinds: ActivityKind.allCases.map {
                OptionView(value: $0.rawValue, label: words["kind_\($0.rawValue)", or: $0.rawValue], selected: form?.values["kind"] == $0.rawValue)
            })
        return renderer.page("customer", title: customer.name, request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }

    // MARK: creating and changing a customer

    struct CustomerForm: Decodable {
        let code: String?
        let name: String
        let currency: String?
        let terms: String?
        let credit_limit: String?
        let category: String?
        let email: String?
        let phone: String?
    }

    static let customerFields: Set<String> = ["code", "name", "currency", "terms", "credit_limit", "category", "email", "phone"]

    @Sendable func newCustomerForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        customerFormPage(request, context: context, code: nil, values: ["currency": "CNY", "terms": "30"], form: nil)
    }

    @Sendable func editCustomerForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = Customer.Code(try context.parameters.require("code"))
        let customer = try await Reports(storage: storage, caller: caller).customer(code).customer
        return customerFormPage(request, context: context, code: code, values: [
            "name": customer.name, "currency": customer.currency.code, "terms": customer.terms.description,
            "credit_limit": customer.creditLimit.isPositive ? customer.creditLimit.groupedDecimalString : "", "category": customer.category,
            "email": customer.email, "phone": customer.phone,
        ], form: nil)
    }

    func customerFormPage(_ request: Request, context: AppRequestContext, code: Customer.Code?, values: [String: String], form: FormState?) -> Response {
        let view = CustomerFormView(isNew: code == nil, code: code?.rawValue ?? "", link: code.map { Self.pathPart($0.rawValue) } ?? "",
                                    values: form?.values ?? values)
        return renderer.page("customer_form", title: code == nil ? "new_customer" : "edit_customer", request: request, context: context,
                             content: view, form: form, status: form == nil ? .ok : .unprocessableContent)
    }

    func draft(_ form: CustomerForm, code: Customer.Code) throws -> CustomerDraft {
        var check = FieldCheck()
        var terms = PaymentTerms.net(30)
        do { terms = try Field.terms(form.terms?.trimmed) } catch let error as BookError { check.note("terms", FormState.issues(of: error).first?.reason ?? "") }
        var currency: Currency?
        do { currency = try Field.currency(form.currency?.trimmed.uppercased()) } catch let error as BookError {
            check.note("currency", FormState.issues(of: error).first?.reason ?? "")
        }
        try check.done()
        return CustomerDraft(code: code, name: form.name.trimmed, currency: currency, terms: terms, creditLimit: form.credit_limit?.trimmed,
                             category: form.category?.trimmed ?? "", email: form.email?.trimmed ?? "", phone: form.phone?.trimmed ?? "")
    }

    @Sendable func createCustomer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let (form, values) = try await Self.post(CustomerForm.self, from: &request)
        return try await Self.refusedAgain("customer", values: values, fields: Self.customerFields, request: request) {
            let code = Customer.Code((form.code ?? "").trimmed)
            let stored = try await Billing(storage: storage, caller: caller).addCustomer(try draft(form, code: code))
            return Self.back(to: "/customers/\(Self.pathPart(stored.customer.code.rawValue))?done=customer_saved")
        } again: { state in
            customerFormPage(request, context: context, code: nil, values: values, form: state)
        }
    }

    @Sendable func updateCustomer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = Customer.Code(try context.parameters.require("code"))
        var request = request
        let (form, values) = try await Self.post(CustomerForm.self, from: &request)
        return try await Self.refusedAgain("customer", values: values, fields: Self.customerFields, request: request) {
            _ = try await Billing(storage: storage, caller: caller).updateCustomer(code, try draft(form, code: code))
            return Self.back(to: "/customers/\(Self.pathPart(code.rawValue))?done=customer_saved")
        } again: { state in
            customerFormPage(request, context: context, code: code, values: values, form: state)
        }
    }

    // MARK: history and statement

    @Sendable func customerHistory(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = Customer.Code(try context.parameters.require("code"))
        let reports = Reports(storage: storage, caller: caller)
        let customer = try await reports.customer(code).customer
        let words = Words(UILanguage.of(request))
        let view = CustomerHistoryView(
            code: code.rawValue, link: Self.pathPart(code.rawValue), name: customer.name,
            records: try await reports.customerHistory(code).map { record in
                .init(at: Display.time(record.at), who: words.owner(record.actor), action: words.auditAction(record.action),
                      changes: AuditChanges.lines(before: record.before, after: record.after, words: words))
            })
        return renderer.page("customer_history", title: "history", request: request, context: context, content: view)
    }

    /// The statement of account (对账单) of any period on screen: the balance at its start, every movement
    /// with the running balance, the balance at its end; printable, and as CSV for Excel.
    @Sendable func statement(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = Customer.Code(try context.parameters.require("code"))
        let query = request.uri.queryParameters
        let words = Words(UILanguage.of(request))
        let day = today()
        var check = FieldCheck()
        let fromText = query.get("from") ?? day.advanced(by: -30).description
        let toText = query.get("to") ?? day.description
        let from = check.day(String(fromText.prefix(40)), "from")
        let to = check.day(String(toText.prefix(40)), "to")
        let reports = Reports(storage: storage, caller: caller)
        let customer = try await reports.customer(code).customer
        var form: FormState?
        var ledger: CustomerLedger?
        do {
            try check.done()
            if let from, let to { ledger = try await reports.ledger(customer: code, from: from, to: to) }
        } catch where FormState.isFormError(error) {
            // A day that is no day, or a period that ends before it begins (the ledger's rule), beside its field.
            form = FormState("period", values: ["from": fromText, "to": toText], error: error, fields: ["from", "to"], words: words)
        }
        let view = StatementView(
            code: code.rawValue, link: Self.pathPart(code.rawValue), name: customer.name, from: fromText, to: toText,
            opening: ledger.map { Display.money($0.opening) } ?? "", closing: ledger.map { Display.money($0.closing) } ?? "",
            lines: ledger?.lines.map {
                .init(day: $0.day.description, document: $0.document, kind: words.entryKind($0.kind.rawValue), debit: Display.moneyUnlessZero($0.debit),
                      credit: Display.moneyUnlessZero($0.credit), balance: Display.money($0.balance))
            } ?? [],
            csv: "/customers/\(Self.pathPart(code.rawValue))/ledger.csv?from=\(fromText.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&to=\(toText.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
            printed: day.description)
        return renderer.page("statement", title: "statement", request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }
}

/// The form that creates or changes a customer.
struct CustomerFormView {
    let isNew: Bool
    let code: String
    let link: String
    let values: [String: String]
}

/// A customer's history of changes.
struct CustomerHistoryView {
    struct Record {
        let at: String
        let who: String
        let action: String
        let changes: [AuditChanges.Change]
    }

    let code: String
    let link: String
    let name: String
    let records: [Record]
}

/// A customer's statement of a period.
struct StatementView {
    let code: String
    let link: String
    let name: String
    let from: String
    let to: String
    let opening: String
    let closing: String
    let lines: [CustomerView.Line]
    let csv: String
    let printed: String
}
