import Bookkeeping
import Hummingbird
import Receivables
import RequestInput

/// The cash page: pick a customer, enter a receipt, see its oldest-due invoices proposed, change the
/// amounts if the customer said otherwise, record it all in one step.
extension Pages {
    struct ReceiptForm: Decodable {
        let customer: String
        let reference: String
        let date: String
        let amount: String
        let method: String
        let invoice: [String]?
        let apply: [String]?
    }

    @Sendable func cash(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let language = UILanguage.of(request)
        let date = today().description, methods = PaymentMethod.allCases.map(\.rawValue), done = query.get("done")
        guard let code = query.get("customer"), !code.isEmpty else {
            return renderer.page("cash", title: "cash", language: language, context: context,
                                 content: CashView(date: date, methods: methods, done: done, customer: nil, amount: "", reference: "", invoices: []))
        }
        let amountText = query.get("amount") ?? ""
        // What the book would apply oldest due first, within the amount received: the proposal the user may change.
        let proposal = try await Cash(storage: storage, caller: caller).proposal(customer: Customer.Code(code), amount: amountText)
        let view = CashView(
            date: date, methods: methods, done: done, customer: .init(code: code, name: proposal.customer.customer.name),
            amount: amountText, reference: query.get("reference") ?? "",
            invoices: proposal.invoices.map { invoice, proposed in
                .init(number: invoice.number.rawValue, issue: invoice.issue.description, due: invoice.due.description,
                      open: Display.money(invoice.open), proposed: proposed.isPositive ? proposed.decimalString : "")
            })
        return renderer.page("cash", title: "cash", language: language, context: context, content: view)
    }

    @Sendable func recordReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let form = try await Self.form(ReceiptForm.self, from: &request)
        _ = try await Cash(storage: storage, caller: caller).recordReceipt(customer: Customer.Code(form.customer)) { customer in
            var amounts = FieldCheck()
            var chosen: [InvoiceAmount] = []
            for (number, text) in zip(form.invoice ?? [], form.apply ?? []) where !text.trimmed.isEmpty {
                if let value = amounts.money(text, customer.customer.currency, "apply \(number)") {
                    chosen.append(InvoiceAmount(invoice: DocumentNumber(number), amount: value))
                }
            }
            let receipt: Receipt
            do {
                receipt = try DocumentInput.receipt(reference: form.reference, customer: customer, date: form.date, amount: form.amount,
                                                    method: form.method, invoice: nil, memo: nil)
            } catch var check as FieldCheck {
                // One answer lists the receipt's bad fields and the bad amounts to apply together.
                check.errors += amounts.errors
                throw check
            }
            try amounts.done()
            return (receipt, .invoices(chosen))
        }
        return Response(status: .seeOther, headers: [.location: "/cash?customer=\(form.customer)&done=\(form.reference)"])
    }
}
