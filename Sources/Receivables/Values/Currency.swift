/// An ISO 4217 currency: its three-letter code and how many minor units a major unit has.
///
/// The exponent decides how decimal strings are parsed and printed; two amounts are only ever
/// combined when their currencies are equal.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    /// Digits after the decimal point (2 for CNY, 0 for JPY, 3 for KWD).
    public let exponent: Int

    public static let cny = Currency(validCode: "CNY", exponent: 2)

    private init(validCode: String, exponent: Int) {
        self.code = validCode
        self.exponent = exponent
    }

    /// The currency for a code such as "CNY" or "usd"; nil when it is not three ASCII letters.
    public init?(code raw: String) {
        let code = raw.uppercased()
        guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
        self.init(validCode: code, exponent: Currency.exponents[code] ?? 2)
    }

    public var description: String { code }

    /// 10^exponent, the number of minor units in one major unit.
    public var minorPerMajor: Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// ISO 4217 currencies whose exponent is not 2. Every other code uses 2.
    private static let exponents: [String: Int] = [
        "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "PYG": 0, "UGX": 0, "XAF": 0, "XOF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    ]
}
