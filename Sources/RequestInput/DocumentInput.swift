import Bookkeeping
import Receivables

/// Turns what a request carries (text fields) into the domain's documents, for the API, the pages and
/// the command line alike: every bad field is collected, the domain's own checks name the rest.
public enum DocumentInput {
    public static func invoice(number: String, customer: StoredCustomer, issueDate: String, dueDate: String?, amount: String,
                        description: String?) throws -> InvoiceDraft {
        var check = FieldCheck()
        let issue = check.day(issueDate, "issue_date")
        let due = check.optionalDay(dueDate, "due_date")
        let money = check.money(amount, customer.customer.currency, "amount")
        try check.done()
        guard let issue, let money else { throw check }
        return InvoiceDraft(number: DocumentNumber(number), customer: customer.customer.code, issue: issue, amount: money,
                            due: due, description: description ?? "")
    }

    public static func receipt(reference: String, customer: StoredCustomer, date: String, amount: String, method: String?,
                        invoice: String?, memo: String?) throws -> Receipt {
        var check = FieldCheck()
        let payment = PaymentMethod(text: method ?? "")
        if payment == nil { check.note("method", "one of \(PaymentMethod.allCases.map(\.rawValue).joined(separator: ", "))") }
        let day = check.day(date, "date")
        let money = check.money(amount, customer.customer.currency, "amount")
        try check.done()
        guard let payment, let day, let money else { throw check }
        do {
            return try Receipt(reference: DocumentNumber(reference), customer: customer.customer.code, day: day, amount: money,
                               method: payment, invoice: invoice.flatMap { $0.isEmpty ? nil : DocumentNumber($0) }, memo: memo ?? "")
        } catch {
            throw BookError.invalid(field: BookWriter.field(of: error), reason: error.description)
        }
    }

    public static func creditNote(number: String, invoice: StoredInvoice, date: String, amount: String, reason: String) throws -> CreditNote {
        var check = FieldCheck()
        let day = check.day(date, "date")
        let money = check.money(amount, invoice.invoice.amount.currency, "amount")
        try check.done()
        guard let day, let money else { throw check }
        do {
            return try CreditNote(number: DocumentNumber(number), invoice: invoice.invoice.number, day: day, amount: money, reason: reason)
        } catch {
            throw BookError.invalid(field: BookWriter.field(of: error), reason: error.description)
        }
    }

    /// A currency a body names must be the customer's: documents are in the customer's currency.
    public static func checkCurrency(_ given: String?, of customer: StoredCustomer) throws {
        let currency = customer.customer.currency
        guard let given, !given.isEmpty, given.uppercased() != currency.code else { return }
        throw BookError.currencyMismatch(field: "currency", expected: currency, got: Currency(code: given) ?? currency)
    }
}
