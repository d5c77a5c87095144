import Bookkeeping
import Foundation
import Hummingbird
import Receivables
import RequestInput

/// The forms that change the book from the pages: issue an invoice or a credit note, apply an
/// advance, reverse an allocation or a receipt. Each (its CSRF token checked by `CSRFMiddleware`) calls one
/// use case with the signed-in caller and sends the browser back to the page it came from.
extension Pages {
    struct InvoiceForm: Decodable {
        let number: String
        let customer: String
        let issue_date: String
        let due_date: String?
        let amount: String
        let description: String?
    }

    struct CreditNoteForm: Decodable {
        let number: String
        let date: String
        let amount: String
        let reason: String
    }

    struct ApplyForm: Decodable {
        let reference: String
        let invoice: String
        let amount: String?
    }

    struct ReversalForm: Decodable {
        let date: String
        let reason: String
        let reference: String?
    }

    /// The path of a page of this application named in `referer` (its invoice or customer pages), or nil:
    /// a redirect never leaves the application (`//evil.example/x` is another site).
    static func localPath(_ referer: String?) -> String? {
        guard let path = referer.flatMap({ URL(string: $0)?.path }), !path.hasPrefix("//"), !path.contains("\\"),
              path.hasPrefix("/invoices/") || path.hasPrefix("/customers/"),
              path.allSatisfy({ $0.isLetter || $0.isNumber || "/-_.".contains($0) }) else { return nil }
        return path
    }

    static func back(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    @Sendable func newInvoiceForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        return renderer.page("invoice_new", title: "new_invoice", language: UILanguage.of(request), context: context,
                             content: NewInvoiceView(date: today().description, customer: request.uri.queryParameters.get("customer") ?? ""))
    }

    @Sendable func issueInvoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let form = try await Self.form(InvoiceForm.self, from: &request)
        let stored = try await Billing(storage: storage, caller: caller).issueInvoice(customer: Customer.Code(form.customer)) { customer in
            try DocumentInput.invoice(number: form.number, customer: customer, issueDate: form.issue_date,
                                      dueDate: form.due_date, amount: form.amount, description: form.description)
        }
        return Self.back(to: "/invoices/\(stored.invoice.number.rawValue)")
    }

    @Sendable func issueCreditNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let number = DocumentNumber(try context.parameters.require("number"))
        var request = request
        let form = try await Self.form(CreditNoteForm.self, from: &request)
        _ = try await Billing(storage: storage, caller: caller).issueCreditNote(invoice: number) { invoice in
            try DocumentInput.creditNote(number: form.number, invoice: invoice, date: form.date, amount: form.amount, reason: form.reason)
        }
        return Self.back(to: "/invoices/\(number.rawValue)")
    }

    @Sendable func applyAdvance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let form = try await Self.form(ApplyForm.self, from: &request)
        let text = form.amount ?? ""
        let number = DocumentNumber(form.invoice)
        _ = try await Cash(storage: storage, caller: caller).allocate(credit: .receipt, reference: DocumentNumber(form.reference), to: number) { currency in
            guard !text.isEmpty else { return nil }
            var check = FieldCheck()
            let amount = check.money(text, currency, "amount")
            try check.done()
            return amount
        }
        return Self.back(to: "/invoices/\(number.rawValue)")
    }

    @Sendable func reverseAllocation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id: AllocationRecord.ID = try Self.id(context)
        var request = request
        let form = try await Self.form(ReversalForm.self, from: &request)
        _ = try await Cash(storage: storage, caller: caller)
            .reverseAllocation(id, day: try Field.day(form.date, "date"), reason: form.reason)
        return Self.back(to: Self.localPath(request.headers[.referer]) ?? "/invoices")
    }

    @Sendable func reverseReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let form = try await Self.form(ReversalForm.self, from: &request)
        guard let reference = form.reference, !reference.isEmpty else {
            throw BookError.invalid(field: "reference", reason: "the receipt to reverse")
        }
        _ = try await Cash(storage: storage, caller: caller)
            .reverseReceipt(DocumentNumber(reference), day: try Field.day(form.date, "date"), reason: form.reason)
        return Self.back(to: "/cash?done=\(reference)")
    }
}
