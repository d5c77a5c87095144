import Bookkeeping
import Receivables

/// Request bodies of the JSON API. Amounts and days travel as strings and are parsed by the
/// domain's own parsers; a bad value names its field.
struct NewCustomerBody: Decodable {
    let code: String
    let name: String
    let currency: String?
    let payment_terms: String?
    let credit_limit: String?
    let category: String?
    let email: String?
    let phone: String?
}

struct NewInvoiceBody: Decodable {
    let number: String
    let customer: String
    let issue_date: String
    let due_date: String?
    let amount: String
    let currency: String?
    let description: String?
}

struct NewReceiptBody: Decodable, Sendable {
    let reference: String
    let customer: String
    let date: String
    let amount: String
    let method: String?
    let invoice: String?
    let memo: String?
    let auto_allocate: Bool?
}

struct CreditNoteBody: Decodable {
    let number: String
    let date: String
    let amount: String
    let reason: String
}

struct ReversalBody: Decodable {
    let date: String
    let reason: String
}

struct PromiseBody: Decodable {
    let amount: String
    let due: String
    let invoice: String?
    let date: String?
    let note: String?
}

struct ActivityBody: Decodable {
    let kind: String
    let outcome: String
    let invoice: String?
    let date: String?
    let next_action_day: String?
    let next_action: String?
}

struct DisputeBody: Decodable {
    let amount: String?
    let reason: String
    let date: String?
}

struct AllocationBody: Decodable {
    let invoice: String
    let amount: String?
}

/// Parses the fields of a body, collecting every bad one, so that one answer lists them all.
struct FieldCheck: Error {
    var errors: [Problem.FieldError] = []

    mutating func day(_ text: String, _ field: String) -> Day? {
        do { return try Day.parse(text) } catch { note(field, error.description) }
        return nil
    }

    mutating func optionalDay(_ text: String?, _ field: String) -> Day? {
        guard let text, !text.isEmpty else { return nil }
        return day(text, field)
    }

    mutating func money(_ text: String, _ currency: Currency, _ field: String) -> Money? {
        do { return try Money.parse(text, currency: currency) } catch { note(field, error.description) }
        return nil
    }

    mutating func note(_ field: String, _ reason: String) {
        errors.append(Problem.FieldError(field: field, reason: reason))
    }

    /// Throws itself when any field was bad.
    func done() throws {
        if !errors.isEmpty { throw self }
    }
}

/// The field parsers for single values.
enum Field {
    static func day(_ text: String, _ field: String) throws -> Day {
        do { return try Day.parse(text) } catch { throw BookError.invalid(field: field, reason: error.description) }
    }

    static func money(_ text: String, _ currency: Currency, _ field: String) throws -> Money {
        do { return try Money.parse(text, currency: currency) } catch { throw BookError.invalid(field: field, reason: error.description) }
    }

    /// A currency code; nil when none is given (the use case then takes the book's).
    static func currency(_ text: String?) throws -> Currency? {
        guard let text, !text.isEmpty else { return nil }
        guard let currency = Currency(code: text) else {
            throw BookError.invalid(field: "currency", reason: "'\(text)' is not an ISO 4217 currency code")
        }
        return currency
    }

    static func terms(_ text: String?) throws -> PaymentTerms {
        guard let text, !text.isEmpty else { return .net(30) }
        do { return try PaymentTerms.parse(text) } catch { throw BookError.invalid(field: "payment_terms", reason: error.description) }
    }
}
