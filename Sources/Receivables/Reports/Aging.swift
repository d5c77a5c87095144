/// The one rule of what is overdue (逾期): something is still open after its due day. A due day is the last
/// day to pay, so an item due today is not overdue yet.
public enum Overdue {
    public static func isOverdue(due: Day, open: Money, asOf: Day) -> Bool {
        open.isPositive && due < asOf
    }
}

/// What an item's age is counted from.
public enum AgingBasis: String, CaseIterable, Sendable {
    /// Days overdue: as-of day − due day.
    case due
    /// Days since issue: as-of day − issue day.
    case invoice
}

/// The bucket borders of an aging report: borders [30, 60, 90] give `current` (≤ 0 days),
/// `1-30`, `31-60`, `61-90` and `91+`.
public struct AgingBuckets: Hashable, Sendable {
    public let borders: [Int]
    /// 30, 60, 90.
    public static let standard = AgingBuckets(valid: [30, 60, 90])
    public static let bordersMax = 20

    private init(valid borders: [Int]) { self.borders = borders }

    public init(borders: [Int]) throws(AgingRejection) {
        guard !borders.isEmpty, borders.count <= Self.bordersMax else { throw .bucketCount }
        guard borders.allSatisfy({ $0 > 0 && $0 <= 36_600 }) else { throw .borderNotPositive }
        guard zip(borders, borders.dropFirst()).allSatisfy({ $0 < $1 }) else { throw .bordersNotIncreasing }
        self.borders = borders
    }

    /// "30,60,90" → [30, 60, 90].
    public static func parse(_ text: String) throws(AgingRejection) -> AgingBuckets {
        var borders: [Int] = []
        for piece in text.split(separator: ",") {
            guard let value = Int(piece.trimmedSubstring) else { throw .unreadable(text) }
            borders.append(value)
        }
        return try AgingBuckets(borders: borders)
    }

    public var labels: [String] {
        var labels = ["current"]
        var low = 1
        for border in borders {
            labels.append("\(low)-\(border)")
            low = border + 1
        }
        labels.append("\(low)+")
        return labels
    }

    /// The bucket for an age in days; ages ≤ 0 are `current`.
    public func index(forDays days: Int) -> Int {
        if days <= 0 { return 0 }
        for (position, border) in borders.enumerated() where days <= border { return position + 1 }
        return borders.count + 1
    }
}

/// Why aging options were refused.
public enum AgingRejection: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    case bucketCount
    case borderNotPositive
    case bordersNotIncreasing

    public var description: String {
        switch self {
        case .unreadable(let text): "'\(text)' is not a list of bucket borders such as 30,60,90"
        case .bucketCount: "between 1 and \(AgingBuckets.bordersMax) bucket borders are allowed"
        case .borderNotPositive: "bucket borders must be positive numbers of days"
        case .bordersNotIncreasing: "bucket borders must increase"
        }
    }
}

extension Substring {
    var trimmedSubstring: Substring {
        var slice = self
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }
}
