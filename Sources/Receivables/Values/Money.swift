/// An exact amount of one currency, held as a whole number of minor units (fen for CNY).
///
/// Arithmetic never rounds and never mixes currencies: adding two currencies or overflowing
/// Int64 throws `MoneyError`. Decimal strings exist only at the edges (`Money.parse`, `decimalString`).
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// The most one document (an invoice, receipt, credit note or fee) may carry, and the highest credit
    /// limit: 10^13 minor units (100,000,000,000.00 in a currency of two decimals). Every sum the book
    /// makes of such amounts is then exact in 64 bits for any book of fewer than 922,337 maximal
    /// documents, and sums are taken in 128 bits (`total`) so that none can trap beyond that either.
    public static let documentLimit: Int64 = 10_000_000_000_000

    /// `documentLimit` in a currency: what a refusal names.
    public static func documentLimit(in currency: Currency) -> Money { Money(minorUnits: documentLimit, currency: currency) }

    /// Whether the amount is within `documentLimit` either way.
    public var isWithinDocumentLimit: Bool { minorUnits.magnitude <= UInt64(Self.documentLimit) }

    /// Σ of minor units, exact whatever their number and order: partial sums are 128-bit, and only a
    /// total that does not fit 64 bits is `.overflow`.
    @inlinable
    public static func total<S: Sequence>(_ amounts: S) throws(MoneyError) -> Int64 where S.Element == Int64 {
        var sum: Int128 = 0
        for amount in amounts { sum += Int128(amount) }
        guard let result = Int64(exactly: sum) else { throw .overflow }
        return result
    }

    /// Σ of amounts of `currency`, exact as `total` of their minor units; an amount of another
    /// currency is `.currencyMismatch`, never added.
    public static func total<S: Sequence>(_ amounts: S, in currency: Currency) throws(MoneyError) -> Money where S.Element == Money {
        var sum: Int128 = 0
        for amount in amounts {
            guard amount.currency == currency else { throw .currencyMismatch(currency, amount.currency) }
            sum += Int128(amount.minorUnits)
        }
        guard let result = Int64(exactly: sum) else { throw .overflow }
        return Money(minorUnits: result, currency: currency)
    }

    /// `value × numerator ÷ denominator`, rounded half away from zero, in 128 bits; nil when the
    /// denominator is zero or the result does not fit 64 bits.
    public static func scaled(_ value: Int64, by numerator: Int64, over denominator: Int64) -> Int64? {
        guard denominator != 0 else { return nil }
        let product = Int128(value) * Int128(numerator), divisor = Int128(denominator)
        let magnitude = (product.magnitude + divisor.magnitude / 2) / divisor.magnitude
        let negative = (product < 0) != (divisor < 0)
        guard let result = Int128(exactly: magnitude) else { return nil }
        let rounded = negative ? -result : result
        return Int64(exactly: rounded)
    }

    public var isZero: Bool { minorUnits == 0 }
    public var isPositive: Bool { minorUnits > 0 }
    public var isNegative: Bool { minorUnits < 0 }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        precondition(lhs.currency == rhs.currency, "comparing \(lhs.currency) with \(rhs.currency)")
        return lhs.minorUnits < rhs.minorUnits
    }

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: difference, currency: currency)
    }

    public func negated() throws(MoneyError) -> Money {
        guard minorUnits != .min else { throw .overflow }
        return Money(minorUnits: -minorUnits, currency: currency)
    }

    /// The smaller of two amounts of the same currency.
    public static func min(_ a: Money, _ b: Money) -> Money { a <= b ? a : b }

    /// "1234.50" for CNY, "1234" for JPY, "-0.05" for a negative amount: exact, no grouping.
    public var decimalString: String { Money.decimalString(minorUnits, exponent: currency.exponent) }

    /// "1,234.50": the decimal string with thousands grouped, for people to read.
    public var groupedDecimalString: String { Money.decimalString(minorUnits, exponent: currency.exponent, grouping: true) }

    /// As people read an amount: ¥1,234.56 for yuan, the currency's code before others ("USD 8.00"),
    /// a minus sign before either ("-¥5.00"). What pages and letters show.
    public var displayString: String {
        let text = groupedDecimalString
        let symbol = currency == .cny ? "¥" : currency.code + " "
        return isNegative ? "-" + symbol + text.dropFirst() : symbol + text
    }

    public var description: String { "\(decimalString) \(currency.code)" }

    /// A decimal string for any count of minor units at the given exponent.
    public static func decimalString(_ minorUnits: Int64, exponent: Int, grouping: Bool = false) -> String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        var scale: UInt64 = 1
        for _ in 0..<exponent { scale *= 10 }
        var whole = String(magnitude / scale)
        if grouping { whole = Money.grouped(whole) }
        var text = negative ? "-" + whole : whole
        if exponent > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: exponent - fraction.count) + fraction
        }
        return text
    }

    private static func grouped(_ digits: String) -> String {
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}

/// Why an arithmetic operation on money was refused.
public enum MoneyError: Error, Equatable, Sendable {
    case currencyMismatch(Currency, Currency)
    case overflow
}
