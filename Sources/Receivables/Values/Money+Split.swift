extension Money {
    /// Splits this amount into parts proportional to `weights`, exactly: the parts always sum to
    /// the whole. Each part gets the floor of its share; the minor units left over go one each to
    /// the parts with the largest remainders (the earlier part on a tie). Instalments, fees and
    /// pro-rata splits all go through here.
    public func split(weights: [Int64]) -> [Money] {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 >= 0 }, "weights must be non-negative")
        let totalWeight = weights.reduce(0, +)
        precondition(totalWeight > 0, "weights must not all be zero")
        let sign: Int64 = minorUnits < 0 ? -1 : 1
        let whole = minorUnits.magnitude
        var parts: [UInt64] = []
        var remainders: [(index: Int, remainder: UInt64)] = []
        for (index, weight) in weights.enumerated() {
            // 128-bit product so that large amounts times weights cannot overflow.
            let product = whole.multipliedFullWidth(by: UInt64(weight))
            let (quotient, remainder) = UInt64(totalWeight).dividingFullWidth(product)
            parts.append(quotient)
            remainders.append((index, remainder))
        }
        var leftOver = whole - parts.reduce(0, +)
        remainders.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        var cursor = 0
        while leftOver > 0 {
            parts[remainders[cursor].index] += 1
            leftOver -= 1
            cursor += 1
        }
        return parts.map { Money(minorUnits: sign * Int64($0), currency: currency) }
    }

    /// The share of this amount at a rate in basis points (1/100 of a percent), rounded half away
    /// from zero to the minor unit: 2% of 100.01 is 2.00. Used for cash discounts and VAT.
    public func share(basisPoints: Int64) throws(MoneyError) -> Money {
        let product = minorUnits.multipliedReportingOverflow(by: basisPoints)
        guard !product.overflow else { throw .overflow }
        let quotient = product.partialValue / 10_000
        let remainder = product.partialValue % 10_000
        let rounded = remainder.magnitude * 2 >= 10_000 ? quotient + (product.partialValue < 0 ? -1 : 1) : quotient
        return Money(minorUnits: rounded, currency: currency)
    }
}
