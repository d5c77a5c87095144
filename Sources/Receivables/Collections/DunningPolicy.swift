/// How a message reaches the customer.
public enum DunningChannel: String, CaseIterable, Hashable, Sendable {
    case email, webhook, wecom, dingtalk, feishu, letter
}

/// What a level does besides writing to the customer.
public enum DunningAction: String, CaseIterable, Hashable, Sendable {
    /// Stop supplying the customer (停止供货) until the hold is lifted.
    case creditHold = "credit_hold"
    /// Hand the debt over to legal.
    case legal
    /// Hand the debt over to a collection agency.
    case collectionAgency = "collection_agency"
}

/// A message of a level in one language, with placeholders filled in for each customer: {customer},
/// {code}, {as_of}, {level}, {items} (one line per item: invoice, due day, days overdue, amount),
/// {total}, {fee}, {interest}.
public struct MessageTemplate: Hashable, Sendable {
    public let subject: String
    public let body: String

    public static let placeholders = ["customer", "code", "as_of", "level", "items", "total", "fee", "interest"]
    public static let subjectLengthMax = 200, bodyLengthMax = 5000

    public init(subject: String, body: String) throws(DunningRejection) {
        guard (1...Self.subjectLengthMax).contains(subject.count) else { throw .templateInvalid("the subject has 1 to \(Self.subjectLengthMax) characters") }
        guard (1...Self.bodyLengthMax).contains(body.count) else { throw .templateInvalid("the body has 1 to \(Self.bodyLengthMax) characters") }
        for text in [subject, body] {
            for name in Self.names(in: text) where !Self.placeholders.contains(name) {
                throw .templateInvalid("unknown placeholder {\(name)}; use \(Self.placeholders.map { "{\($0)}" }.joined(separator: ", "))")
            }
        }
        self.subject = subject
        self.body = body
    }

    /// The text with each {name} replaced by its value.
    public static func fill(_ text: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            out += rest[..<open]
            out += values[name] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}

/// One step of a dunning policy (催收级别): when it is reached, relative to an item's due day, and what it does.
public struct DunningLevel: Hashable, Sendable {
    /// 1, 2, … in the order of the policy.
    public let number: Int
    public let name: String
    /// Days after the due day (negative: before it) from which an item has reached this level.
    public let offsetDays: Int
    public let channels: [DunningChannel]
    /// A fixed fee charged once per message at this level, in the currency it is stated in: a customer
    /// who owes in another currency is not charged it (amounts of two currencies are never mixed).
    public let fee: Money?
    /// Whether the message charges the late interest accrued on its items (the policy's `lateFee`).
    public let chargesInterest: Bool
    public let actions: Set<DunningAction>
    /// The level's own messages by language ("zh-CN", "en"); a language without one uses the built-in text.
    public let templates: [String: MessageTemplate]

    public init(number: Int, name: String, offsetDays: Int, channels: [DunningChannel], fee: Money? = nil,
                chargesInterest: Bool = false, actions: Set<DunningAction> = [], templates: [String: MessageTemplate] = [:]) {
        self.number = number
        self.name = name
        self.offsetDays = offsetDays
        self.channels = channels
        self.fee = fee
        self.chargesInterest = chargesInterest
        self.actions = actions
        self.templates = templates
    }
}

/// Late fees from the contract (滞纳金/违约金): a daily rate on what is overdue after a grace period,
/// capped as a share of the item.
public struct LateFeeTerms: Hashable, Sendable {
    /// Interest per day in millionths of the open amount: 0.05% a day is 500.
    public let dailyRatePPM: Int64
    /// Days after the due day before interest starts.
    public let graceDays: Int
    /// The most an item's fees may reach, in basis points of its amount (nil: no cap).
    public let capBasisPoints: Int64?

    public static let dailyRatePPMMax: Int64 = 10_000

    public init(dailyRatePPM: Int64, graceDays: Int = 0, capBasisPoints: Int64? = nil) throws(DunningRejection) {
        guard (0...Self.dailyRatePPMMax).contains(dailyRatePPM) else { throw .rateOutOfRange }
        guard (0...3650).contains(graceDays) else { throw .graceOutOfRange }
        if let capBasisPoints, !(0...10_000).contains(capBasisPoints) { throw .capOutOfRange }
        self.dailyRatePPM = dailyRatePPM
        self.graceDays = graceDays
        self.capBasisPoints = capBasisPoints
    }
}

/// An ordered set of levels, the late-fee terms, and the templates the messages are written with.
public struct DunningPolicy: Hashable, Sendable {
    public let name: String
    /// Ordered by `offsetDays`, strictly increasing; numbered 1, 2, ….
    public let levels: [DunningLevel]
    public let lateFee: LateFeeTerms?

    public static let levelsMax = 20

    public init(name: String, levels: [DunningLevel], lateFee: LateFeeTerms? = nil) throws(DunningRejection) {
        guard !name.isEmpty, name.count <= 64 else { throw .nameInvalid }
        guard !levels.isEmpty, levels.count <= Self.levelsMax else { throw .levelCount(max: Self.levelsMax) }
        for (index, level) in levels.enumerated() {
            guard level.number == index + 1 else { throw .levelsNotNumberedInOrder }
            guard !level.channels.isEmpty else { throw .levelWithoutChannel(level: level.number) }
            guard (1...64).contains(level.name.count) else { throw .levelNameInvalid(level: level.number) }
            guard !(level.fee?.isNegative ?? false) else { throw .feeNegative(level: level.number) }
            guard (-365...3650).contains(level.offsetDays) else { throw .offsetOutOfRange(level: level.number) }
            if index > 0, level.offsetDays <= levels[index - 1].offsetDays { throw .offsetsNotIncreasing(level: level.number) }
            if level.chargesInterest, lateFee == nil { throw .interestWithoutTerms(level: level.number) }
        }
        self.name = name
        self.levels = levels
        self.lateFee = lateFee
    }

    /// The highest level an item `daysPastDue` days past its due day has reached (0: none yet).
    public func levelReached(daysPastDue: Int) -> Int {
        levels.last { $0.offsetDays <= daysPastDue }?.number ?? 0
    }

    public func level(_ number: Int) -> DunningLevel? {
        levels.indices.contains(number - 1) ? levels[number - 1] : nil
    }

    /// The built-in policy of a book that keeps its accounts in CNY.
    public static let standard = standard(in: .cny)

    /// −3 friendly reminder, +1 reminder, +15 second notice, +30 warning with a fee of 50 (in the book's
    /// `currency`) and interest at 0.05% a day after 7 days' grace (capped at 20% of the item), +60 final
    /// demand and credit hold, +90 hand-over to legal.
    public static func standard(in currency: Currency) -> DunningPolicy {
        do {
            return try DunningPolicy(name: "default", levels: [
                DunningLevel(number: 1, name: "friendly reminder", offsetDays: -3, channels: [.email]),
                DunningLevel(number: 2, name: "reminder", offsetDays: 1, channels: [.email]),
                DunningLevel(number: 3, name: "second notice", offsetDays: 15, channels: [.email, .wecom]),
                DunningLevel(number: 4, name: "warning", offsetDays: 30, channels: [.email, .letter], fee: Money(minorUnits: 50 * currency.minorPerMajor, currency: currency), chargesInterest: true),
                DunningLevel(number: 5, name: "final demand", offsetDays: 60, channels: [.email, .letter], chargesInterest: true,
                             actions: [.creditHold]),
                DunningLevel(number: 6, name: "legal", offsetDays: 90, channels: [.letter], chargesInterest: true, actions: [.legal]),
            ], lateFee: LateFeeTerms(dailyRatePPM: 500, graceDays: 7, capBasisPoints: 2000))
        } catch {
            preconditionFailure("the standard policy is valid: \(error)")
        }
    }
}

/// Why a dunning policy or a collections record was refused.
public enum DunningRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case nameInvalid
    case levelCount(max: Int)
    case levelsNotNumberedInOrder
    case levelWithoutChannel(level: Int)
    case levelNameInvalid(level: Int)
    case feeNegative(level: Int)
    case offsetOutOfRange(level: Int)
    case offsetsNotIncreasing(level: Int)
    case interestWithoutTerms(level: Int)
    case rateOutOfRange
    case graceOutOfRange
    case capOutOfRange
    case templateInvalid(String)

    public var description: String {
        switch self {
        case .nameInvalid: "a policy needs a name of 1 to 64 characters"
        case .levelCount(let max): "a policy has 1 to \(max) levels"
        case .levelsNotNumberedInOrder: "levels are numbered 1, 2, … in order"
        case .levelWithoutChannel(let level): "level \(level) needs at least one channel"
        case .levelNameInvalid(let level): "level \(level) needs a name of 1 to 64 characters"
        case .feeNegative(let level): "level \(level): the fee cannot be negative"
        case .offsetOutOfRange(let level): "level \(level): days from due must be between -365 and 3650"
        case .offsetsNotIncreasing(let level): "level \(level): each level comes more days after due than the one before"
        case .interestWithoutTerms(let level): "level \(level) charges interest but the policy has no late-fee terms"
        case .rateOutOfRange: "the daily rate is between 0 and 1% (10,000 millionths)"
        case .graceOutOfRange: "the grace period is between 0 and 3650 days"
        case .capOutOfRange: "the cap is between 0 and 100% (10,000 basis points)"
        case .templateInvalid(let rule): rule
        }
    }
}
