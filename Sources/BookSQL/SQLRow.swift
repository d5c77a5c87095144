import Bookkeeping
import Receivables

/// One row of a result, read by position. An engine gives the raw cells; typed reads come from
/// `SQLColumn` (`let id: Int64 = try row[0]`). A row is valid only inside the body it is handed to.
public protocol SQLRow {
    /// The integer in `column`, nil for NULL. A flag stored as a boolean reads as 0/1.
    func integer(_ column: Int) throws -> Int64?
    func text(_ column: Int) throws -> String?
    func bytes(_ column: Int) throws -> [UInt8]?
    /// The cell as an engine-neutral value, for copies.
    func stored(_ column: Int) throws -> StoredValue
    /// Whether `column` holds exactly the text `utf8`: an engine may compare without making a string.
    func text(_ column: Int, equals utf8: [UInt8]) throws -> Bool
    /// The integer in a column that is never NULL. Reports read millions of these: unlike the typed
    /// subscript, it needs no generic type at run time.
    func int64(_ column: Int) throws -> Int64
}

extension SQLRow {
    @inlinable
    public func int64(_ column: Int) throws -> Int64 {
        guard let value = try integer(column) else {
            throw StorageError(code: .incompatible, message: "the book holds an unexpected empty value", underlying: "column \(column)")
        }
        return value
    }

    /// A day in a column that is never NULL, for the reads of reports.
    @inlinable
    public func day(_ column: Int) throws -> Day {
        let ordinal = try int64(column)
        guard let narrow = Int32(exactly: ordinal) else {
            throw StorageError(code: .incompatible, message: "the book holds a day out of range", underlying: "column \(column): \(ordinal)")
        }
        return Day(ordinal: narrow)
    }

    public func text(_ column: Int, equals utf8: [UInt8]) throws -> Bool {
        guard let text = try text(column) else { return false }
        return text.utf8.elementsEqual(utf8)
    }

    /// The value of `column` as `T`; a NULL read as a non-optional type is an error.
    public subscript<T: SQLColumn>(_ column: Int) -> T {
        get throws {
            guard let value = try T.read(self, column) else {
                throw StorageError(code: .incompatible, message: "the book holds an unexpected empty value", underlying: "column \(column) as \(T.self)")
            }
            return value
        }
    }
}

/// A type a column reads as; nil when the cell is NULL.
public protocol SQLColumn {
    static func read(_ row: some SQLRow, _ column: Int) throws -> Self?
}

extension Int64: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> Int64? { try row.integer(column) }
}

extension Int: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> Int? { try row.integer(column).map { Int($0) } }
}

extension Int32: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> Int32? {
        guard let value = try row.integer(column) else { return nil }
        guard let narrow = Int32(exactly: value) else {
            throw StorageError(code: .incompatible, message: "the book holds a number out of range", underlying: "column \(column): \(value)")
        }
        return narrow
    }
}

extension Bool: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> Bool? { try row.integer(column).map { $0 != 0 } }
}

extension String: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> String? { try row.text(column) }
}

extension Array: SQLColumn where Element == UInt8 {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> [UInt8]? { try row.bytes(column) }
}

extension Day: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> Day? { try Int32.read(row, column).map(Day.init(ordinal:)) }
}

extension Identifier: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> Identifier? { try row.integer(column).map(Identifier.init) }
}

extension Customer.Code: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> Customer.Code? { try row.text(column).map(Customer.Code.init) }
}

extension DocumentNumber: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> DocumentNumber? { try row.text(column).map(DocumentNumber.init) }
}

/// An optional column never fails on NULL: it reads as nil.
extension Optional: SQLColumn where Wrapped: SQLColumn {
    public static func read(_ row: some SQLRow, _ column: Int) throws -> Wrapped?? { .some(try Wrapped.read(row, column)) }
}
