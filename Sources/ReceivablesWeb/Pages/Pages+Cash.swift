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
        let query = request.uri.queryParameters
        var values: [String: String] = [:]
        for key in ["customer", "amount", "reference", "date", "method"] { values[key] = query.get(key).map { String($0.prefix(200)) } }
        return try await cashPage(request, context: context, values: values, applied: [:], form: nil)
    }

    /// The cash page for the customer `values["customer"]` names (code or name): the receipt's fields
    /// as typed, each open invoice with what the receipt would pay of it (`applied` as typed, or the
    /// book's proposal: oldest due first), and what would stay as an advance.
    func cashPage(_ request: Request, context: AppRequestContext, values: [String: String], applied: [String: String],
                  form: FormState?) async throws -> Response {
        let caller = try context.requireCaller()
        let words = Words(UILanguage.of(request))
        let method = values["method"].flatMap(PaymentMethod.init(text:)) ?? .bankTransfer
        let methods = PaymentMethod.allCases.map { OptionView(value: $0.rawValue, label: words.method($0), selected: $0 == method) }
        let customerText = values["customer"] ?? ""
        var form = form
        var view = CashView(date: values["date"] ?? today().description, methods: methods, customerText: customerText, customer: nil,
                            amount: values["amount"] ?? "", reference: values["reference"] ?? "", invoices: [], applied: "", advance: "",
                            symbol: "")
        if !customerText.trimmed.isEmpty {
            do {
                let code = try await Reports(storage: storage, caller: caller).findCustomer(customerText)
                let amountText = values["amount"] ?? ""
                // What the book would apply oldest due first, within the amount received: the proposal the user may change.
                let proposal = try await Cash(storage: storage, caller: caller).proposal(customer: code, amount: amountText)
                let currency = proposal.customer.customer.currency
                let received = (try? Money.parse(amountText, currency: currency)) ?? .zero(currency)
                var sum = Money.zero(currency)
                view.customer = .init(code: code.rawValue, name: proposal.customer.customer.name)
                view.symbol = currency == .cny ? "¥" : currency.code + " "
                view.invoices = proposal.invoices.map { invoice, proposed in
                    let typed = applied[invoice.number.rawValue]
                    let amount = typed.flatMap { try? Money.parse($0, currency: currency) } ?? (typed == nil ? proposed : .zero(currency))
                    sum = (try? sum.adding(amount)) ?? sum
                    return .init(number: invoice.number.rawValue, link: Self.pathPart(invoice.number.rawValue), issue: invoice.issue.description,
                                 due: invoice.due.description, open: Display.money(invoice.open),
                                 proposed: typed ?? (proposed.isPositive ? proposed.groupedDecimalString : ""))
                }
                if received.isPositive {
                    view.applied = Display.money(sum)
                    view.advance = Display.money((try? received.subtracting(sum)) ?? .zero(currency))
                }
            } catch let error as BookError where form == nil && FormState.isFormError(error) {
                form = FormState("receipt", values: values, error: error, fields: ["customer"], words: words)
            }
        }
        return renderer.page("cash", title: "cash", request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }

    @Sendable func recordReceipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let (form, values) = try await Self.post(ReceiptForm.self, from: &request)
        let typed = Dictionary(zip(form.invoice ?? [], form.apply ?? []).map { ($0, String($1.prefix(30))) }, uniquingKeysWith: { first, _ in first })
        return try await Self.refusedAgain("receipt", values: values, fields: ["customer", "reference", "date", "amount", "method"],
                                           request: request) {
            let code = try await Reports(storage: storage, caller: caller).findCustomer(form.customer)
            let stored = try await Cash(storage: storage, caller: caller).recordReceipt(customer: code) { customer in
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
            return Self.back(to: "/receipts/\(Self.pathPart(stored.reference.rawValue))?done=receipt_recorded")
        } again: { state in
            try await cashPage(request, context: context, values: values, applied: typed, form: state)
        }
    }
}
