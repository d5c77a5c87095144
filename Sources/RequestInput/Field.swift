import Bookkeeping
import Receivables

/// One field a request got wrong, and the rule it broke.
public struct FieldIssue: Hashable, Sendable {
    public let field: String
    public let reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// Parses the fields of a body, collecting every bad one, so that one answer lists them all.
public struct FieldCheck: Error, Sendable {
    public var errors: [FieldIssue] = []

    public init() {}

    public mutating func day(_ text: String, _ field: String) -> Day? {
        do { return try Day.parse(text) } catch { note(field, error.description) }
        return nil
    }

    public mutating func optionalDay(_ text: String?, _ field: String) -> Day? {
        guard let text, !text.isEmpty else { return nil }
        return day(text, field)
    }

    public mutating func money(_ text: String, _ currency: Currency, _ field: String) -> Money? {
        do { return try Money.parse(text, currency: currency) } catch { note(field, error.description) }
        return nil
    }

    public mutating func note(_ field: String, _ reason: String) {
        errors.append(FieldIssue(field: field, reason: reason))
    }

    /// Throws itself when any field was bad.
    public func done() throws {
        if !errors.isEmpty { throw self }
    }
}

/// The field parsers for single values.
public enum Field {
    public static func day(_ text: String, _ field: String) throws -> Day {
        do { return try Day.parse(text) } catch { throw BookError.invalid(field: field, reason: error.description) }
    }

    public static func money(_ text: String, _ currency: Currency, _ field: String) throws -> Money {
        do { return try Money.parse(text, currency: currency) } catch { throw BookError.invalid(field: field, reason: error.description) }
    }

    /// A currency code; nil when none is given (the use case then takes the book's).
    public static func currency(_ text: String?) throws -> Currency? {
        guard let text, !text.isEmpty else { return nil }
        guard let currency = Currency(code: text) else {
            throw BookError.invalid(field: "currency", reason: "'\(text)' is not an ISO 4217 currency code")
        }
        return currency
    }

    public static func terms(_ text: String?) throws -> PaymentTerms {
        guard let text, !text.isEmpty else { return .net(30) }
        do { return try PaymentTerms.parse(text) } catch { throw BookError.invalid(field: "payment_terms", reason: error.description) }
    }
}
