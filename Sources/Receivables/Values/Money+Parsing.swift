/// Why a decimal string is not an amount of money.
public enum MoneyParseError: Error, Equatable, Sendable {
    case empty
    case notANumber(String)
    case tooManyDecimals(String, allowed: Int)
    case overflow(String)
}

extension MoneyParseError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty: "amount is empty"
        case .notANumber(let text): "'\(text)' is not an amount"
        case .tooManyDecimals(let text, let allowed): "'\(text)' has more than \(allowed) decimals"
        case .overflow(let text): "'\(text)' is too large"
        }
    }
}

extension Money {
    /// Parses the ways people write amounts: "1234.5", "1,234.50", "¥1,234.50", "-12", "(12.00)",
    /// "１２３" is not accepted. Grouping commas must sit between digits; a currency sign or code in
    /// front is accepted and ignored (the currency comes from the document). Never rounds.
    public static func parse(_ raw: String, currency: Currency) throws(MoneyParseError) -> Money {
        var bytes = Array(raw.utf8)
        trimSpaces(&bytes)
        guard !bytes.isEmpty else { throw .empty }
        var negative = false
        if bytes.first == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") {
            negative = true
            bytes = Array(bytes.dropFirst().dropLast())
        }
        if bytes.first == UInt8(ascii: "-") {
            negative.toggle()
            bytes.removeFirst()
        } else if bytes.first == UInt8(ascii: "+") {
            bytes.removeFirst()
        }
        stripCurrencyMarker(&bytes, code: currency.code)
        trimSpaces(&bytes)
        if !negative, bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes.removeFirst()
        }
        let minor = try minorUnits(of: bytes, raw: raw, exponent: currency.exponent)
        return Money(minorUnits: negative ? -minor : minor, currency: currency)
    }

    private static func trimSpaces(_ bytes: inout [UInt8]) {
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
    }

    /// Removes a leading "¥", "￥", "$", "€", "£", "RMB" or the document's own currency code.
    private static let markers: [[UInt8]] = [Array("¥".utf8), Array("￥".utf8), Array("$".utf8), Array("€".utf8),
                                             Array("£".utf8), Array("RMB".utf8)]

    private static func stripCurrencyMarker(_ bytes: inout [UInt8], code: String) {
        guard let first = bytes.first, first > 0x39 else { return } // starts with a digit: nothing to strip
        for marker in markers + [Array(code.utf8)] where bytes.starts(with: marker) {
            bytes.removeFirst(marker.count)
            return
        }
    }

    private static func minorUnits(of bytes: [UInt8], raw: String, exponent: Int) throws(MoneyParseError) -> Int64 {
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        var digitsSinceComma = -1 // -1: no comma seen in the whole part
        var anyDigit = false
        var previousWasDigit = false
        var wholeDigits = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                anyDigit = true
                previousWasDigit = true
                if seenPoint {
                    fractionDigits += 1
                    guard fractionDigits <= exponent else { throw .tooManyDecimals(raw, allowed: exponent) }
                    fraction = fraction * 10 + digit
                } else {
                    if digitsSinceComma >= 0 { digitsSinceComma += 1 }
                    wholeDigits += 1
                    let (times, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(digit)
                    guard !o1, !o2 else { throw .overflow(raw) }
                    whole = sum
                }
            case UInt8(ascii: ","):
                let firstGroupOK = digitsSinceComma != -1 || wholeDigits <= 3
                guard !seenPoint, previousWasDigit, firstGroupOK, digitsSinceComma == -1 || digitsSinceComma == 3 else {
                    throw .notANumber(raw)
                }
                digitsSinceComma = 0
                previousWasDigit = false
            case UInt8(ascii: "."):
                guard !seenPoint, digitsSinceComma == -1 || digitsSinceComma == 3 else { throw .notANumber(raw) }
                seenPoint = true
                previousWasDigit = false
            default:
                throw .notANumber(raw)
            }
        }
        guard anyDigit, digitsSinceComma != 0, digitsSinceComma == -1 || digitsSinceComma == 3 || seenPoint else {
            throw .notANumber(raw)
        }
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        var fractionScale: Int64 = 1
        for _ in 0..<(exponent - fractionDigits) { fractionScale *= 10 }
        let (major, o1) = whole.multipliedReportingOverflow(by: scale)
        let (total, o2) = major.addingReportingOverflow(fraction * fractionScale)
        guard !o1, !o2 else { throw .overflow(raw) }
        return total
    }
}
