import Bookkeeping
import Receivables

/// A statement with its values bound where they stand: `"SELECT … WHERE id = \(id)"` puts a `?` in the
/// text and the value beside it, so values and placeholders cannot fall out of step. Each engine turns
/// the `?` into its own placeholders (`$1, $2, …` on PostgreSQL).
///
/// `\(raw: text)` puts text in as it is, for names and fragments the book itself writes (never input);
/// `\(fragment)` takes another `SQL` with its values.
public struct SQL: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    public private(set) var text: String
    public private(set) var values: [StoredValue]

    public init(stringLiteral value: String) {
        text = value
        values = []
    }

    public init(stringInterpolation: Interpolation) {
        text = stringInterpolation.text
        values = stringInterpolation.values
    }

    public init(text: String, values: [StoredValue]) {
        self.text = text
        self.values = values
    }

    public var description: String { text }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        SQL(text: lhs.text + rhs.text, values: lhs.values + rhs.values)
    }

    /// The fragments joined with `separator` between them.
    public static func joined(_ parts: [SQL], separator: String) -> SQL {
        var text = "", values: [StoredValue] = []
        for (index, part) in parts.enumerated() {
            if index > 0 { text += separator }
            text += part.text
            values += part.values
        }
        return SQL(text: text, values: values)
    }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        var values: [StoredValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount)
            values.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        public mutating func appendInterpolation(_ value: some SQLBindable) {
            text += "?"
            values.append(value.storedValue)
        }

        /// An optional binds NULL when it is nil.
        public mutating func appendInterpolation<Value: SQLBindable>(_ value: Value?) {
            text += "?"
            values.append(value?.storedValue ?? .null)
        }

        public mutating func appendInterpolation(raw: String) { text += raw }

        public mutating func appendInterpolation(_ fragment: SQL) {
            text += fragment.text
            values += fragment.values
        }
    }
}

/// A value that binds to a placeholder.
public protocol SQLBindable {
    var storedValue: StoredValue { get }
}

extension StoredValue: SQLBindable {
    public var storedValue: StoredValue { self }
}

extension Int64: SQLBindable {
    public var storedValue: StoredValue { .integer(self) }
}

extension Int: SQLBindable {
    public var storedValue: StoredValue { .integer(Int64(self)) }
}

extension Int32: SQLBindable {
    public var storedValue: StoredValue { .integer(Int64(self)) }
}

/// Flags are 0/1 integers on both engines.
extension Bool: SQLBindable {
    public var storedValue: StoredValue { .integer(self ? 1 : 0) }
}

extension String: SQLBindable {
    public var storedValue: StoredValue { .text(self) }
}

extension Array: SQLBindable where Element == UInt8 {
    public var storedValue: StoredValue { .bytes(self) }
}

/// Days are integer day numbers.
extension Day: SQLBindable {
    public var storedValue: StoredValue { .integer(Int64(ordinal)) }
}

/// Row ids of every kind are integers.
extension Identifier: SQLBindable {
    public var storedValue: StoredValue { .integer(rawValue) }
}

extension Customer.Code: SQLBindable {
    public var storedValue: StoredValue { .text(rawValue) }
}

extension DocumentNumber: SQLBindable {
    public var storedValue: StoredValue { .text(rawValue) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var storedValue: StoredValue { self?.storedValue ?? .null }
}
