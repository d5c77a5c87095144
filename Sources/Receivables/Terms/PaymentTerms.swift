/// Payment terms (账期): when the parts of an invoice fall due, and any cash discount for paying early.
///
/// Written and read as short text so that a customer file, the CLI and the database all use the
/// same form: "net 30", "eom 30" (月结: end of the issue month plus 30 days), "30%@0,70%@60"
/// (instalments: percent at days after issue), each optionally followed by "; 2%/10" (a cash discount
/// of 2% if paid within 10 days).
public struct PaymentTerms: Hashable, Sendable, CustomStringConvertible {
    public enum Schedule: Hashable, Sendable {
        /// Due `days` after the issue day.
        case net(days: Int)
        /// 月结: due `days` after the last day of the issue month.
        case endOfMonth(days: Int)
        /// Several parts, each a share in basis points (sum 10,000) due `days` after issue.
        case instalments([Instalment])
    }

    public struct Instalment: Hashable, Sendable {
        public let basisPoints: Int64
        public let days: Int
        public init(basisPoints: Int64, days: Int) {
            self.basisPoints = basisPoints
            self.days = days
        }
    }

    /// A discount of `basisPoints` of the gross amount when paid within `days` of issue.
    public struct CashDiscount: Hashable, Sendable {
        public let basisPoints: Int64
        public let days: Int
        public init(basisPoints: Int64, days: Int) {
            self.basisPoints = basisPoints
            self.days = days
        }
    }

    public let schedule: Schedule
    public let discount: CashDiscount?

    /// Terms are bounded so that a typo cannot push a due day centuries out.
    public static let daysMax = 3660
    public static let instalmentsMax = 60

    public static func net(_ days: Int) -> PaymentTerms { PaymentTerms(checked: .net(days: days), discount: nil) }

    private init(checked schedule: Schedule, discount: CashDiscount?) {
        self.schedule = schedule
        self.discount = discount
    }

    public init(schedule: Schedule, discount: CashDiscount? = nil) throws(TermsRejection) {
        switch schedule {
        case .net(let days), .endOfMonth(let days):
            guard (0...Self.daysMax).contains(days) else { throw .daysOutOfRange(days) }
        case .instalments(let parts):
            guard !parts.isEmpty, parts.count <= Self.instalmentsMax else { throw .instalmentCount(parts.count) }
            guard parts.allSatisfy({ $0.basisPoints > 0 }) else { throw .instalmentShareNotPositive }
            guard parts.reduce(0, { $0 + $1.basisPoints }) == 10_000 else { throw .instalmentsDoNotSumToWhole }
            for part in parts where !(0...Self.daysMax).contains(part.days) { throw .daysOutOfRange(part.days) }
            guard zip(parts, parts.dropFirst()).allSatisfy({ $0.days <= $1.days }) else { throw .instalmentsOutOfOrder }
        }
        if let discount {
            guard (1..<10_000).contains(discount.basisPoints) else { throw .discountOutOfRange }
            guard (0...Self.daysMax).contains(discount.days) else { throw .daysOutOfRange(discount.days) }
        }
        self.init(checked: schedule, discount: discount)
    }

    /// The open items an invoice of `amount` issued on `issue` gets: one per instalment, split exactly.
    public func dueSchedule(issue: Day, amount: Money) -> [ScheduledPart] {
        switch schedule {
        case .net(let days):
            return [ScheduledPart(due: issue.advanced(by: days), amount: amount)]
        case .endOfMonth(let days):
            return [ScheduledPart(due: issue.endOfMonth.advanced(by: days), amount: amount)]
        case .instalments(let parts):
            let amounts = amount.split(weights: parts.map(\.basisPoints))
            return zip(parts, amounts).map { ScheduledPart(due: issue.advanced(by: $0.days), amount: $1) }
        }
    }

    /// The last day on which the cash discount can be taken, and its amount, for an invoice.
    public func discountOffer(issue: Day, amount: Money) throws(MoneyError) -> DiscountOffer? {
        guard let discount else { return nil }
        return DiscountOffer(until: issue.advanced(by: discount.days),
                             amount: try amount.share(basisPoints: discount.basisPoints),
                             basisPoints: discount.basisPoints)
    }

    public var description: String { PaymentTerms.format(self) }
}

/// One part of a due schedule: an amount and the day it falls due.
public struct ScheduledPart: Hashable, Sendable {
    public let due: Day
    public let amount: Money
    public init(due: Day, amount: Money) {
        self.due = due
        self.amount = amount
    }
}

/// A cash discount as it stands on an invoice: the amount off if paid on or before `until`.
public struct DiscountOffer: Hashable, Sendable {
    public let until: Day
    public let amount: Money
    public let basisPoints: Int64
    public init(until: Day, amount: Money, basisPoints: Int64) {
        self.until = until
        self.amount = amount
        self.basisPoints = basisPoints
    }
}

/// Why payment terms were refused.
public enum TermsRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    case daysOutOfRange(Int)
    case instalmentCount(Int)
    case instalmentShareNotPositive
    case instalmentsDoNotSumToWhole
    case instalmentsOutOfOrder
    case discountOutOfRange

    public var description: String {
        switch self {
        case .unreadable(let text): "'\(text)' is not a payment term (try 'net 30', 'eom 30', '30%@0,70%@60', 'net 30; 2%/10')"
        case .daysOutOfRange(let days): "\(days) days is outside 0...\(PaymentTerms.daysMax)"
        case .instalmentCount(let count): "\(count) instalments; between 1 and \(PaymentTerms.instalmentsMax) are allowed"
        case .instalmentShareNotPositive: "every instalment needs a share above 0%"
        case .instalmentsDoNotSumToWhole: "instalment shares must add up to 100%"
        case .instalmentsOutOfOrder: "instalments must be listed in the order they fall due"
        case .discountOutOfRange: "a cash discount must be between 0% and 100%"
        }
    }
}
