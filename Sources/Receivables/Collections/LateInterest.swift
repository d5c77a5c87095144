/// Late interest on one item: the daily rate on what was open each day after the grace period.
public enum LateInterest {
    /// A stretch of days over which the item's open amount did not change.
    public struct Stretch: Hashable, Sendable {
        /// The first day of the stretch.
        public let from: Day
        /// Open from `from` until the next stretch begins (or through the last day counted).
        public let open: Money
        public init(from: Day, open: Money) {
            self.from = from
            self.open = open
        }
    }

    /// Interest accrued through `through` on an item due on `due`, whose open amount is given by
    /// `history` (stretches in day order, in `currency`), rounded half up once at the end: the sum
    /// over each day d with due + grace < d ≤ through of open(d) × rate.
    public static func accrued(due: Day, terms: LateFeeTerms, history: [Stretch], through: Day,
                               currency: Currency) throws(MoneyError) -> Money {
        let start = due.advanced(by: terms.graceDays + 1)
        guard start <= through, terms.dailyRatePPM > 0 else { return .zero(currency) }
        // Σ open × days, exact in 128 bits, then × rate ÷ 1,000,000 with one rounding. What no
        // document could carry is not charged: the result is at most `Money.documentLimit`.
        var openDays: Int128 = 0
        for (index, stretch) in history.enumerated() {
            guard stretch.open.currency == currency else { throw .currencyMismatch(currency, stretch.open.currency) }
            let end = index + 1 < history.count ? history[index + 1].from.advanced(by: -1) : through
            let first = max(stretch.from, start), last = min(end, through)
            guard first <= last, stretch.open.isPositive else { continue }
            openDays += Int128(stretch.open.minorUnits) * Int128(first.distance(to: last) + 1)
        }
        let interest = (openDays * Int128(terms.dailyRatePPM) + 500_000) / 1_000_000
        return Money(minorUnits: Int64(min(interest, Int128(Money.documentLimit))), currency: currency)
    }

    /// What may still be charged on an item of `amount` that has been charged `charged` already,
    /// when `accrued` is due under the cap. All three are in one currency.
    public static func chargeable(accrued: Money, charged: Money, amount: Money, terms: LateFeeTerms) -> Money {
        precondition(accrued.currency == amount.currency && charged.currency == amount.currency, "late interest in one currency")
        let whole = amount.minorUnits, already = charged.minorUnits
        var due = max(0, accrued.minorUnits - already)
        if let cap = terms.capBasisPoints {
            let limit = whole / 10_000 * cap + (whole % 10_000) * cap / 10_000
            due = min(due, max(0, limit - already))
        }
        return Money(minorUnits: due, currency: amount.currency)
    }
}
