import Receivables

/// Why a use case refused to do what it was asked. Nothing was written when one is thrown.
///
/// Front ends map these to their medium in one place (an exit code and a line on stderr; a
/// problem+json response). `field` names the input that was wrong where there is one.
public enum BookError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(what: String, key: String)
    case duplicate(field: String, value: String)
    case invalid(field: String, reason: String)
    case allocation(AllocationRejection)
    case currencyMismatch(field: String, expected: Currency, got: Currency)
    case alreadyReversed(what: String, key: String)
    case notInitialized
    /// The principal's role does not allow this.
    case forbidden(Permission)
    case storage(StorageError)

    public var description: String {
        switch self {
        case .notFound(let what, let key): "\(what) '\(key)' does not exist"
        case .duplicate(let field, let value): "\(field) '\(value)' exists already"
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .allocation(let rejection): "allocation refused: \(rejection)"
        case .currencyMismatch(let field, let expected, let got): "\(field): currency \(got) differs from the customer's \(expected)"
        case .alreadyReversed(let what, let key): "\(what) '\(key)' has already been reversed"
        case .notInitialized: "this file is not an arbook book yet (run 'arbook init')"
        case .forbidden(let permission): "your role does not allow this (\(permission.rawValue))"
        case .storage(let error): error.message
        }
    }

    /// The input field this error is about, if any.
    public var field: String? {
        switch self {
        case .duplicate(let field, _), .invalid(let field, _), .currencyMismatch(let field, _, _): field
        case .notFound, .allocation, .alreadyReversed, .notInitialized, .forbidden, .storage: nil
        }
    }
}
