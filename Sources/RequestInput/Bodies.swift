import Bookkeeping
import Receivables

/// Request bodies of the JSON API (snake_case keys, as the OpenAPI document names them). Amounts and days travel as strings and are parsed by the
/// domain's own parsers; a bad value names its field.
public struct NewCustomerBody: Decodable, Sendable {
    public let code: String
    public let name: String
    public let currency: String?
    public let payment_terms: String?
    public let credit_limit: String?
    public let category: String?
    public let email: String?
    public let phone: String?
}

public struct NewInvoiceBody: Decodable, Sendable {
    public let number: String
    public let customer: String
    public let issue_date: String
    public let due_date: String?
    public let amount: String
    public let currency: String?
    public let description: String?
}

public struct NewReceiptBody: Decodable, Sendable {
    public let reference: String
    public let customer: String
    public let date: String
    public let amount: String
    public let method: String?
    public let invoice: String?
    public let memo: String?
    public let auto_allocate: Bool?
}

public struct CreditNoteBody: Decodable, Sendable {
    public let number: String
    public let date: String
    public let amount: String
    public let reason: String
}

public struct ReversalBody: Decodable, Sendable {
    public let date: String
    public let reason: String
}

public struct PromiseBody: Decodable, Sendable {
    public let amount: String
    public let due: String
    public let invoice: String?
    public let date: String?
    public let note: String?
}

public struct ActivityBody: Decodable, Sendable {
    public let kind: String
    public let outcome: String
    public let invoice: String?
    public let date: String?
    public let next_action_day: String?
    public let next_action: String?
}

public struct DisputeBody: Decodable, Sendable {
    public let amount: String?
    public let reason: String
    public let date: String?
}

public struct AllocationBody: Decodable, Sendable {
    public let invoice: String
    public let amount: String?
}

