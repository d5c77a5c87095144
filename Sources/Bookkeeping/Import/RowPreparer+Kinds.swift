import Interchange
import Receivables

extension RowPreparer {
    func customer(_ fields: [String]) throws -> Customer {
        let currency = try currency(map.value(.currency, in: fields), default: bookCurrency)
        var terms = PaymentTerms.net(30)
        let termsText = map.value(.terms, in: fields)
        let daysText = map.value(.termsDays, in: fields)
        if !termsText.isEmpty {
            do { terms = try PaymentTerms.parse(termsText) } catch { throw RowIssue(column: "payment_terms", reason: error.description) }
        } else if !daysText.isEmpty {
            guard let days = Int(daysText), (0...PaymentTerms.daysMax).contains(days) else {
                throw RowIssue(column: "payment_terms_days", reason: "'\(daysText)' is not a number of days between 0 and \(PaymentTerms.daysMax)")
            }
            terms = .net(days)
        }
        let limitText = map.value(.creditLimit, in: fields)
        let limit = limitText.isEmpty ? Money.zero(currency) : try money(limitText, currency, column: "credit_limit")
        let customer = Customer(code: Customer.Code(map.value(.code, in: fields)), name: map.value(.name, in: fields),
                                currency: currency, terms: terms, creditLimit: limit,
                                category: map.value(.category, in: fields), email: map.value(.email, in: fields),
                                phone: map.value(.phone, in: fields))
        do { try customer.validate() } catch { throw RowIssue(column: error.field, reason: error.description) }
        return customer
    }

    func invoice(_ fields: [String]) throws -> PreparedRow {
        let (customerID, summary) = try customer(map.value(.customer, in: fields))
        try checkCurrency(map.value(.currency, in: fields), summary.currency)
        let issue = try day(map.value(.issueDate, in: fields), column: "issue_date")
        let dueText = map.value(.dueDate, in: fields)
        let due = dueText.isEmpty ? nil : try day(dueText, column: "due_date")
        let draft = InvoiceDraft(number: DocumentNumber(map.value(.number, in: fields)), customer: summary.code, issue: issue,
                                 amount: try money(map.value(.amount, in: fields), summary.currency, column: "amount"),
                                 due: due, description: map.value(.description, in: fields))
        return .invoice(try BookWriter.invoice(from: draft, currency: summary.currency, terms: summary.terms), customer: customerID)
    }

    func receipt(_ fields: [String]) throws -> PreparedRow {
        let (customerID, summary) = try customer(map.value(.customer, in: fields))
        try checkCurrency(map.value(.currency, in: fields), summary.currency)
        let methodText = map.value(.method, in: fields)
        guard let method = PaymentMethod(text: methodText) else {
            throw RowIssue(column: "method", reason: "'\(methodText)' is not a payment method (one of: \(PaymentMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let invoiceText = map.value(.invoice, in: fields)
        let receipt: Receipt
        do {
            receipt = try Receipt(reference: DocumentNumber(map.value(.reference, in: fields)), customer: summary.code,
                                  day: try day(map.value(.date, in: fields), column: "date"),
                                  amount: try money(map.value(.amount, in: fields), summary.currency, column: "amount"),
                                  method: method, invoice: invoiceText.isEmpty ? nil : DocumentNumber(invoiceText),
                                  memo: map.value(.memo, in: fields))
        } catch let rejection as DocumentRejection {
            throw RowIssue(column: BookWriter.field(of: rejection) == "number" ? "reference" : BookWriter.field(of: rejection),
                           reason: rejection.description)
        }
        let application = ReceiptApplication.named(receipt.invoice, autoAllocate: autoAllocate)
        return .receipt(receipt, customer: customerID, currency: summary.currency, application: application)
    }

    // MARK: values

    func customer(_ code: String) throws -> (Customer.ID, CustomerSummary) {
        guard !code.isEmpty else { throw RowIssue(column: "customer", reason: "customer is empty") }
        guard let found = customers[Customer.Code(code)] else {
            throw RowIssue(column: "customer", reason: "unknown customer '\(code)'")
        }
        return found
    }

    func currency(_ text: String, default fallback: Currency) throws -> Currency {
        guard !text.isEmpty else { return fallback }
        guard let currency = Currency(code: text == "人民币" || text == "RMB" ? "CNY" : text) else {
            throw RowIssue(column: "currency", reason: "'\(text)' is not an ISO 4217 currency code")
        }
        return currency
    }

    func checkCurrency(_ text: String, _ expected: Currency) throws {
        let given = try currency(text, default: expected)
        guard given == expected else {
            throw RowIssue(column: "currency", reason: "currency mismatch: \(given) but the customer is billed in \(expected)")
        }
    }

    func money(_ text: String, _ currency: Currency, column: String) throws -> Money {
        do { return try Money.parse(text, currency: currency) } catch { throw RowIssue(column: column, reason: error.description) }
    }

    func day(_ text: String, column: String) throws -> Day {
        do { return try Day.parse(text) } catch { throw RowIssue(column: column, reason: error.description) }
    }
}
