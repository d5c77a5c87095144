/// The book's own key for a stored row of one kind (`Customer.ID`, `Invoice.ID`, `Credit.ID`, …),
/// assigned when the row is first stored.
///
/// `Subject` only names the kind: an invoice's id cannot be passed where a credit's or an open
/// item's is expected, though all are the same integer in the book.
public struct Identifier<Subject>: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: Int64
    @inlinable public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public static func < (a: Identifier, b: Identifier) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

extension Customer { public typealias ID = Identifier<Customer> }
extension Invoice { public typealias ID = Identifier<Invoice> }
extension OpenItem { public typealias ID = Identifier<OpenItem> }
extension Credit { public typealias ID = Identifier<Credit> }
extension JournalEntry { public typealias ID = Identifier<JournalEntry> }
