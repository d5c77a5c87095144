/// A failure of the storage engine, with a stable code. Engines translate their own errors into
/// this type so that no raw database error crosses the engine boundary.
public struct StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A unique key exists already (customer code, document number).
        case duplicate
        /// A rule the schema enforces was broken (an amount below zero, a missing parent).
        case constraint
        /// The database could not be opened, read or written.
        case unavailable
        /// The file is not a book, or a book of a newer version.
        case incompatible
    }

    public let code: Code
    public let message: String
    /// The engine's own description of the cause, for logs only.
    public let underlying: String

    public init(code: Code, message: String, underlying: String = "") {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    /// Two failures are the same when their code and message are: the engine's own words differ from
    /// engine to engine and are for logs only.
    public static func == (lhs: StorageError, rhs: StorageError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }
}
