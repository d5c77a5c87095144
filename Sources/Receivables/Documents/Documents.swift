/// A document number users give (invoice number, receipt reference, credit-note number).
public struct DocumentNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { rawValue }
    public static let lengthMax = 64

    /// Non-empty, bounded, no white space, no control characters (NUL, DEL, C1). Checked on the UTF-8
    /// bytes when they are ASCII: imports validate millions.
    public func validate(field: String) throws(DocumentRejection) {
        let bytes = rawValue.utf8
        guard !bytes.isEmpty else { throw .numberEmpty(field: field) }
        guard bytes.count <= Self.lengthMax || rawValue.count <= Self.lengthMax else {
            throw .numberTooLong(field: field, max: Self.lengthMax)
        }
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        guard ascii ? !bytes.contains(where: { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }) : !rawValue.contains(where: \.isWhitespace) else {
            throw .numberHasSpaces(field: field)
        }
        guard ascii ? !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) : !rawValue.hasControlCharacters else {
            throw .controlCharacters(field: field)
        }
    }
}

extension String {
    /// Whether the text holds a control character (Unicode's Cc: C0, DEL, C1), which no code, number or
    /// name may: they do not print, and a NUL ends the text early in C and in many files.
    public var hasControlCharacters: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}

/// A line of an invoice: what was sold, its net amount and the VAT rate on it.
public struct InvoiceLine: Hashable, Sendable {
    public let description: String
    public let net: Money
    /// VAT rate in basis points (1300 = 13%).
    public let vatBasisPoints: Int64
    public let vat: Money

    public init(description: String, net: Money, vatBasisPoints: Int64) throws(MoneyError) {
        self.description = description
        self.net = net
        self.vatBasisPoints = vatBasisPoints
        self.vat = try net.share(basisPoints: vatBasisPoints)
    }
}

/// An invoice as it is issued: once posted it never changes; a credit note lowers it.
public struct Invoice: Hashable, Sendable {
    public let number: DocumentNumber
    public let customer: Customer.Code
    public let issue: Day
    /// The gross amount the customer owes (net + VAT).
    public let amount: Money
    public let description: String
    public let lines: [InvoiceLine]
    /// One open item per part; sums to `amount`.
    public let schedule: [ScheduledPart]
    public let discount: DiscountOffer?

    public static let descriptionLengthMax = 500
    public static let linesMax = 1000

    /// Builds an invoice whose due schedule comes from `terms`, or is the single `due` day when given.
    public init(number: DocumentNumber, customer: Customer.Code, issue: Day, amount: Money, due: Day? = nil,
                terms: PaymentTerms, description: String = "", lines: [InvoiceLine] = []) throws(DocumentRejection) {
        try number.validate(field: "number")
        guard amount.isPositive else { throw .amountNotPositive }
        guard amount.isWithinDocumentLimit else { throw .amountOverLimit(max: .documentLimit(in: amount.currency)) }
        guard description.utf8.count <= Self.descriptionLengthMax || description.count <= Self.descriptionLengthMax else {
            throw .descriptionTooLong(max: Self.descriptionLengthMax)
        }
        guard lines.count <= Self.linesMax else { throw .tooManyLines(max: Self.linesMax) }
        if !lines.isEmpty {
            var total = Money.zero(amount.currency)
            do {
                for line in lines { total = try total.adding(line.net).adding(line.vat) }
            } catch { throw .linesDoNotMatchAmount }
            guard total == amount else { throw .linesDoNotMatchAmount }
        }
        if let due {
            guard due >= issue else { throw .dueBeforeIssue }
            schedule = [ScheduledPart(due: due, amount: amount)]
        } else {
            schedule = terms.dueSchedule(issue: issue, amount: amount)
        }
        do { discount = try terms.discountOffer(issue: issue, amount: amount) } catch { throw .amountTooLarge }
        self.number = number
        self.customer = customer
        self.issue = issue
        self.amount = amount
        self.description = description
        self.lines = lines
    }

    /// An invoice read back from the book: its schedule and discount as they were posted.
    public init(stored number: DocumentNumber, customer: Customer.Code, issue: Day, amount: Money, description: String,
                lines: [InvoiceLine], schedule: [ScheduledPart], discount: DiscountOffer?) {
        self.number = number
        self.customer = customer
        self.issue = issue
        self.amount = amount
        self.description = description
        self.lines = lines
        self.schedule = schedule
        self.discount = discount
    }

    /// Net and VAT totals: from the lines, or all net when the invoice has none.
    public var netAndVAT: (net: Money, vat: Money) {
        guard !lines.isEmpty else { return (amount, .zero(amount.currency)) }
        // Each line's VAT is at most its invoice's amount, which is within the document limit.
        let vat = (try? Money.total(lines.map(\.vat.minorUnits))) ?? 0
        return (Money(minorUnits: amount.minorUnits - vat, currency: amount.currency),
                Money(minorUnits: vat, currency: amount.currency))
    }
}

/// Money received from a customer (收款). What is not applied to open items is an advance (预收款).
public struct Receipt: Hashable, Sendable {
    public let reference: DocumentNumber
    public let customer: Customer.Code
    public let day: Day
    public let amount: Money
    public let method: PaymentMethod
    /// The invoice the customer said it pays, if any.
    public let invoice: DocumentNumber?
    public let memo: String

    public init(reference: DocumentNumber, customer: Customer.Code, day: Day, amount: Money,
                method: PaymentMethod, invoice: DocumentNumber? = nil, memo: String = "") throws(DocumentRejection) {
        try reference.validate(field: "reference")
        guard amount.isPositive else { throw .amountNotPositive }
        guard amount.isWithinDocumentLimit else { throw .amountOverLimit(max: .documentLimit(in: amount.currency)) }
        guard memo.utf8.count <= Invoice.descriptionLengthMax || memo.count <= Invoice.descriptionLengthMax else {
            throw .descriptionTooLong(max: Invoice.descriptionLengthMax)
        }
        self.reference = reference
        self.customer = customer
        self.day = day
        self.amount = amount
        self.method = method
        self.invoice = invoice
        self.memo = memo
    }
}

/// A credit note (红字发票): the only way to lower a posted invoice, in full or in part.
public struct CreditNote: Hashable, Sendable {
    public let number: DocumentNumber
    public let invoice: DocumentNumber
    public let day: Day
    public let amount: Money
    public let reason: String

    public init(number: DocumentNumber, invoice: DocumentNumber, day: Day, amount: Money, reason: String) throws(DocumentRejection) {
        try number.validate(field: "number")
        guard amount.isPositive else { throw .amountNotPositive }
        guard amount.isWithinDocumentLimit else { throw .amountOverLimit(max: .documentLimit(in: amount.currency)) }
        guard !reason.trimmed.isEmpty else { throw .reasonMissing }
        guard reason.count <= Invoice.descriptionLengthMax else { throw .descriptionTooLong(max: Invoice.descriptionLengthMax) }
        self.number = number
        self.invoice = invoice
        self.day = day
        self.amount = amount
        self.reason = reason
    }
}

/// Why a document was refused before it reached the book.
public enum DocumentRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case numberEmpty(field: String)
    case numberTooLong(field: String, max: Int)
    case numberHasSpaces(field: String)
    case controlCharacters(field: String)
    case amountNotPositive
    case amountTooLarge
    /// More than `Money.documentLimit`.
    case amountOverLimit(max: Money)
    case dueBeforeIssue
    case descriptionTooLong(max: Int)
    case tooManyLines(max: Int)
    case linesDoNotMatchAmount
    case reasonMissing

    public var description: String {
        switch self {
        case .numberEmpty(let field): "\(field) is empty"
        case .numberTooLong(let field, let max): "\(field) is longer than \(max) characters"
        case .numberHasSpaces(let field): "\(field) must not contain spaces"
        case .controlCharacters(let field): "\(field) must not contain control characters"
        case .amountNotPositive: "amount must be greater than zero"
        case .amountTooLarge: "amount is too large"
        case .amountOverLimit(let max): "amount is more than one document may carry (\(max.decimalString))"
        case .dueBeforeIssue: "due day is before the issue day"
        case .descriptionTooLong(let max): "description is longer than \(max) characters"
        case .tooManyLines(let max): "more than \(max) lines"
        case .linesDoNotMatchAmount: "lines (net + VAT) do not add up to the amount"
        case .reasonMissing: "a reason is required"
        }
    }
}
