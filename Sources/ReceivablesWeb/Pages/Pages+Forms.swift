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
        /// Sent from the receipt page (applying its rest), which the answer returns to; else the invoice page.
        let from_receipt: String?
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
        newInvoicePage(request, context: context, form: nil)
    }

    func newInvoicePage(_ request: Request, context: AppRequestContext, form: FormState?) -> Response {
        let customer: String = form?.values["customer"] ?? request.uri.queryParameters.get("customer").map { String($0) } ?? ""
        return renderer.page("invoice_new", title: "new_invoice", request: request, context: context,
                             content: NewInvoiceView(date: form?.values["issue_date"] ?? today().description, customer: customer),
                             form: form, status: form == nil ? .ok : .unprocessableContent)
    }

    @Sendable func issueInvoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let (form, values) = try await Self.post(InvoiceForm.self, from: &request)
        return try await Self.refusedAgain("invoice", values: values, fields: ["number", "customer", "issue_date", "due_date", "amount", "description"],
                                           request: request) {
            let code = try await Reports(storage: storage, caller: caller).findCustomer(form.customer)
            let stored = try await Billing(storage: storage, caller: caller).issueInvoice(customer: code) { customer in
                try DocumentInput.invoice(number: form.number, customer: customer, issueDate: form.issue_date,
                                          dueDate: form.due_date, amount: form.amount, description: form.description)
            }
            return Self.back(to: "/invoices/\(Self.pathPart(stored.invoice.number.rawValue))?done=invoice_issued")
        } again: { state in
            newInvoicePage(request, context: context, form: state)
        }
    }

    /// A document number as one segment of a path.
    static func pathPart(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    @Sendable func issueCreditNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let number = DocumentNumber(try context.parameters.require("number"))
        var request = request
        let (form, values) = try await Self.post(CreditNoteForm.self, from: &request)
        return try await Self.refusedAgain("credit_note", values: values, fields: ["number", "date", "amount", "reason"], request: request) {
            let note = try await Billing(storage: storage, caller: caller).issueCreditNote(invoice: number) { invoice in
                try DocumentInput.creditNote(number: form.number, invoice: invoice, date: form.date, amount: form.amount, reason: form.reason)
            }
            return Self.back(to: "/invoices/\(Self.pathPart(number.rawValue))?done=credit_note_issued&ref=\(Self.pathPart(note.reference.rawValue))")
        } again: { state in
            try await invoicePage(request, context: context, number: number, form: state)
        }
    }

    @Sendable func applyAdvance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let (form, values) = try await Self.post(ApplyForm.self, from: &request)
        let text = form.amount ?? ""
        let number = DocumentNumber(form.invoice.trimmed)
        let reference = DocumentNumber(form.reference.trimmed)
        let fromReceipt = form.from_receipt == "1"
        return try await Self.refusedAgain("apply", values: values, fields: fromReceipt ? ["invoice", "amount"] : ["reference", "amount"],
                                           request: request) {
            _ = try await Cash(storage: storage, caller: caller).allocate(credit: .receipt, reference: reference, to: number) { currency in
                guard !text.trimmed.isEmpty else { return nil }
                var check = FieldCheck()
                let amount = check.money(text, currency, "amount")
                try check.done()
                return amount
            }
            return Self.back(to: fromReceipt ? "/receipts/\(Self.pathPart(reference.rawValue))?done=applied&ref=\(Self.pathPart(number.rawValue))"
                                             : "/invoices/\(Self.pathPart(number.rawValue))?done=applied&ref=\(Self.pathPart(reference.rawValue))")
        } again: { state in
            fromReceipt ? try await receiptPage(request, context: context, reference: reference, form: state)
                : try await invoicePage(request, context: context, number: number, form: state)
        }
    }

    @Sendable func reverseAllocation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id: AllocationRecord.ID = try context.pathID()
        var request = request
        let (form, values) = try await Self.post(ReversalForm.self, from: &request)
        let back = Self.localPath(request.headers[.referer]) ?? "/invoices"
        return try await Self.refusedAgain("reversal", values: values, fields: [], request: request) {
            _ = try await Cash(storage: storage, caller: caller)
                .reverseAllocation(id, day: try Field.day(form.date, "date"), reason: form.reason)
            return Self.back(to: back + "?done=allocation_reversed&ref=\(id)")
        } again: { state in
            // The allocation's invoice page shows why, when the browser came from one; otherwise the error page.
            guard back.hasPrefix("/invoices/"), let number = back.split(separator: "/").last?.removingPercentEncoding else {
                throw BookError.invalid(field: "date", reason: state.summary.joined(separator: "; "))
            }
            return try await invoicePage(request, context: context, number: DocumentNumber(number), form: state)
        }
    }

    @Sendable func reverseReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let form = try await Self.form(ReversalForm.self, from: &request)
        guard let text = form.reference?.trimmed, !text.isEmpty else {
            throw BookError.invalid(field: "reference", reason: "the receipt to reverse")
        }
        let reference = DocumentNumber(text)
        let values = ["date": form.date, "reason": form.reason]
        return try await Self.refusedAgain("reverse", values: values, fields: ["date", "reason"], request: request) {
            _ = try await Cash(storage: storage, caller: caller)
                .reverseReceipt(reference, day: try Field.day(form.date, "date"), reason: form.reason)
            return Self.back(to: "/receipts/\(Self.pathPart(text))?done=receipt_reversed")
        } again: { state in
            try await receiptPage(request, context: context, reference: reference, form: state)
        }
    }
}
