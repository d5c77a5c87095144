import Bookkeeping
import NIOCore
import PostgresNIO

/// A value bound to a query parameter.
protocol PostgresValue: Sendable {
    func bind(to bindings: inout PostgresBindings)
}

extension Int64: PostgresValue {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int32: PostgresValue {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int: PostgresValue {
    func bind(to bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
}

extension String: PostgresValue {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Bool: PostgresValue {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Array: PostgresValue where Element == UInt8 {
    func bind(to bindings: inout PostgresBindings) { bindings.append(ByteBuffer(bytes: self)) }
}

/// A list of ids bound as one array parameter (`= ANY($1)`).
struct PostgresIDs: PostgresValue {
    let ids: [Int64]
    init(_ ids: [Int64]) { self.ids = ids }
    func bind(to bindings: inout PostgresBindings) { bindings.append(ids) }
}

extension Optional: PostgresValue where Wrapped: PostgresValue {
    func bind(to bindings: inout PostgresBindings) {
        switch self {
        case .some(let value): value.bind(to: &bindings)
        case .none: bindings.appendNull()
        }
    }
}

/// A column value read from a row. Integers of any width read as any integer type that holds them;
/// 0/1 integers read as flags, as the SQLite book stores them.
protocol PostgresColumn {
    init(cell: PostgresCell) throws
}

extension PostgresColumn {
    static func mismatch(_ cell: PostgresCell) -> StorageError {
        StorageError(code: .incompatible, message: "the book holds an unexpected value in \(cell.columnName)",
                     underlying: "\(cell.dataType) as \(Self.self)")
    }
}

extension Int64: PostgresColumn {
    init(cell: PostgresCell) throws {
        do { self = try cell.decode(Int64.self) } catch { throw Self.mismatch(cell) }
    }
}

extension Int32: PostgresColumn {
    init(cell: PostgresCell) throws {
        guard let value = Int32(exactly: try Int64(cell: cell)) else { throw Self.mismatch(cell) }
        self = value
    }
}

extension Int: PostgresColumn {
    init(cell: PostgresCell) throws { self = Int(try Int64(cell: cell)) }
}

extension Bool: PostgresColumn {
    init(cell: PostgresCell) throws {
        if cell.dataType == .bool {
            do { self = try cell.decode(Bool.self) } catch { throw Self.mismatch(cell) }
        } else {
            self = try Int64(cell: cell) != 0
        }
    }
}

extension String: PostgresColumn {
    init(cell: PostgresCell) throws {
        do { self = try cell.decode(String.self) } catch { throw Self.mismatch(cell) }
    }
}

extension Array: PostgresColumn where Element == UInt8 {
    init(cell: PostgresCell) throws {
        guard var buffer = cell.bytes else { throw Self.mismatch(cell) }
        self = buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}

extension Optional: PostgresColumn where Wrapped: PostgresColumn {
    init(cell: PostgresCell) throws {
        self = cell.bytes == nil ? nil : try Wrapped(cell: cell)
    }
}

/// A row read by position, as the SQLite engine reads GRDB's rows: `try row[0]` takes its type from
/// where it goes.
struct PostgresRowReader {
    let row: PostgresRandomAccessRow
    /// The row came from a prepared statement: PostgresNIO asks for every result column in the binary
    /// format but labels the columns with the format of the statement's description (text).
    let binary: Bool

    init(_ row: PostgresRow, prepared: Bool = false) {
        self.row = row.makeRandomAccess()
        binary = prepared
    }

    func cell(_ index: Int) -> PostgresCell {
        var cell = row[index]
        if binary { cell.format = .binary }
        return cell
    }

    subscript<T: PostgresColumn>(index: Int) -> T {
        get throws { try T(cell: cell(index)) }
    }
}
