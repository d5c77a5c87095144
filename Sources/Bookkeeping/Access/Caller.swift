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

    @Sendable public static func systemTime() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
