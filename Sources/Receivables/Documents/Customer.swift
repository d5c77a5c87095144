/// A customer who buys on credit: the party every document of the book belongs to.
public struct Customer: Hashable, Sendable {
    /// The code users give a customer ("K00001"): unique in the book, the key in every file.
    public struct Code: Hashable, Sendable, Comparable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static func < (a: Code, b: Code) -> Bool { a.rawValue < b.rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var name: String
    public var currency: Currency
    public var terms: PaymentTerms
    public var creditLimit: Money
    public var category: String
    public var email: String
    public var phone: String

    public static let codeLengthMax = 64
    public static let nameLengthMax = 200
    public static let textLengthMax = 200

    public init(code: Code, name: String, currency: Currency = .cny, terms: PaymentTerms = .net(30),
                creditLimit: Money? = nil, category: String = "", email: String = "", phone: String = "") {
        self.code = code
        self.name = name
        self.currency = currency
        self.terms = terms
        self.creditLimit = creditLimit ?? .zero(currency)
        self.category = category
        self.email = email
        self.phone = phone
    }

    /// Checks what a stored customer must satisfy; the first broken rule is thrown.
    public func validate() throws(CustomerRejection) {
        let codeText = code.rawValue
        guard !codeText.isEmpty else { throw .codeEmpty }
        guard codeText.count <= Self.codeLengthMax else { throw .tooLong(field: "code", max: Self.codeLengthMax) }
        guard !codeText.contains(where: { $0.isWhitespace || $0.isNewline }) else { throw .codeHasSpaces }
        for (field, value) in [("code", codeText), ("name", name), ("category", category), ("email", email), ("phone", phone)]
        where value.hasControlCharacters {
            throw .controlCharacters(field: field)
        }
        guard !name.trimmed.isEmpty else { throw .nameEmpty }
        guard name.count <= Self.nameLengthMax else { throw .tooLong(field: "name", max: Self.nameLengthMax) }
        for (field, value) in [("category", category), ("email", email), ("phone", phone)]
        where value.count > Self.textLengthMax {
            throw .tooLong(field: field, max: Self.textLengthMax)
        }
        guard creditLimit.currency == currency else { throw .currencyMismatch }
        guard !creditLimit.isNegative else { throw .creditLimitNegative }
        guard creditLimit.isWithinDocumentLimit else { throw .creditLimitOverLimit(max: .documentLimit(in: currency)) }
        if !email.isEmpty, !Self.looksLikeEmail(email) { throw .emailInvalid(email) }
    }

    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}

/// Why a customer record was refused.
public enum CustomerRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case codeEmpty
    case codeHasSpaces
    case nameEmpty
    case tooLong(field: String, max: Int)
    case currencyMismatch
    case creditLimitNegative
    case creditLimitOverLimit(max: Money)
    case emailInvalid(String)
    case controlCharacters(field: String)

    /// The field the broken rule is about.
    public var field: String {
        switch self {
        case .codeEmpty, .codeHasSpaces: "code"
        case .nameEmpty: "name"
        case .tooLong(let field, _), .controlCharacters(let field): field
        case .currencyMismatch, .creditLimitNegative, .creditLimitOverLimit: "credit_limit"
        case .emailInvalid: "email"
        }
    }

    public var description: String {
        switch self {
        case .codeEmpty: "customer code is empty"
        case .codeHasSpaces: "customer code must not contain spaces"
        case .nameEmpty: "customer name is empty"
        case .tooLong(let field, let max): "\(field) is longer than \(max) characters"
        case .currencyMismatch: "credit limit must be in the customer's currency"
        case .creditLimitNegative: "credit limit must not be negative"
        case .creditLimitOverLimit(let max): "credit limit is more than the most arbook holds (\(max.decimalString))"
        case .emailInvalid(let text): "'\(text)' is not an email address"
        case .controlCharacters(let field): "\(field) must not contain control characters"
        }
    }
}

extension String {
    /// Without leading and trailing white space.
    public var trimmed: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
