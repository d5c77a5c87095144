import Foundation

/// Who calls a use case, and the clock that stamps what they do.
///
/// Every use case is made with a caller: it checks the principal's permission before it reads or
/// writes, and the audit trail records the principal and the clock's time with every write.
public struct Caller: Sendable {
    public let principal: Principal
    /// An ISO 8601 timestamp for the audit trail.
    public let now: @Sendable () -> String

    public init(principal: Principal, now: @escaping @Sendable () -> String = Caller.systemTime) {
        self.principal = principal
        self.now = now
    }

    /// The command-line operator on the system clock.
    public static let commandLine = Caller(principal: .commandLine)

    /// The system clock in UTC to the second, as ISO 8601 ("2026-11-22T08:30:00Z"). Written out by hand:
    /// a date formatter costs more than the rest of a receipt's write.
    @Sendable public static func systemTime() -> String {
        Timestamp.iso(Int64(time(nil)))
    }
}

/// Moments as the book stores them: ISO 8601 in UTC to the second, which sort as text.
public enum Timestamp {
    public static func iso(_ epochSeconds: Int64) -> String {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
