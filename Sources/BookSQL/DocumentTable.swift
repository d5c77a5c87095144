import Bookkeeping
import Receivables

/// The tables a document is written to, with their columns (the id first where the table gives one):
/// one definition serves the INSERT of a single document and the COPY of a PostgreSQL load.
public enum DocumentTable: Int, CaseIterable, Sendable {
    case customer, entry, line, invoice, invoiceLine, item, credit, allocation

    public var name: String { Self.definitions[rawValue].name }
    public var columns: [String] { Self.definitions[rawValue].columns }
    /// Whether the first column is an id the table gives each row.
    public var hasID: Bool { columns.first == "id" }

    static let definitions: [(name: String, columns: [String])] = [
        ("customer", ["id", "code", "name", "currency", "terms", "credit_limit", "category", "email", "phone"]),
        ("journal_entry", ["id", "day", "kind", "document", "customer_id", "currency"]),
        ("journal_line", ["entry_id", "line_no", "account", "customer_id", "amount"]),
        ("invoice", ["id", "number", "customer_id", "issue_day", "amount", "currency", "description", "discount_until",
                     "discount_amount", "discount_bp", "entry_id"]),
        ("invoice_line", ["invoice_id", "line_no", "description", "net", "vat_bp", "vat"]),
        ("open_item", ["id", "invoice_id", "seq", "customer_id", "issue_day", "due_day", "amount", "amount_open"]),
        ("credit", ["id", "kind", "reference", "customer_id", "day", "amount", "currency", "method", "invoice_id", "memo",
                    "amount_unapplied", "entry_id"]),
        ("allocation", ["id", "kind", "credit_id", "open_item_id", "customer_id", "day", "amount", "credit_day", "item_issue_day",
                        "item_due_day", "reverses_id", "entry_id"]),
    ]

    /// The key a duplicate of which is refused as `.duplicate` rather than an error (a customer's code,
    /// an invoice's number, a credit's kind and reference).
    public var unique: String? {
        switch self {
        case .customer: "code"
        case .invoice: "number"
        case .credit: "kind, reference"
        case .entry, .line, .invoiceLine, .item, .allocation: nil
        }
    }

    /// Each table's INSERT of one row, made once: an import runs it millions of times.
    static let insertTexts: [String] = allCases.map { table in
        let columns = table.hasID ? Array(table.columns.dropFirst()) : table.columns
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let conflict = table.unique.map { " ON CONFLICT (\($0)) DO NOTHING" } ?? ""
        return "INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(marks))\(conflict)"
    }

    /// Each table's INSERT of 1 to `multiRowTexts` rows, made once.
    static let multiRowMax = 16
    static let multiRowTexts: [[String]] = allCases.map { table in
        let tuple = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
        let head = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES "
        return (1...multiRowMax).map { count in head + Array(repeating: tuple, count: count).joined(separator: ", ") }
    }

    /// The INSERT of one row (values without the id); a duplicate of `unique` writes none.
    public func insert(_ values: [StoredValue]) -> SQL {
        SQL(text: Self.insertTexts[rawValue], values: values)
    }

    /// One INSERT of several rows: one round trip instead of one per row.
    public func insertRows(_ rows: [[StoredValue]]) -> SQL? {
        guard !rows.isEmpty else { return nil }
        let text: String
        if rows.count <= Self.multiRowMax {
            text = Self.multiRowTexts[rawValue][rows.count - 1]
        } else {
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            text = "INSERT INTO \(name) (\(columns.joined(separator: ", "))) VALUES " + Array(repeating: tuple, count: rows.count).joined(separator: ", ")
        }
        return SQL(text: text, values: rows.flatMap { $0 })
    }
}

/// The rows a document is stored as, in the column order of its `DocumentTable` (without the id).
public enum DocumentRows {
    static func number<Subject>(_ id: Identifier<Subject>?) -> StoredValue { id.map { .integer($0.rawValue) } ?? .null }
    static func number(_ value: Int64?) -> StoredValue { value.map { .integer($0) } ?? .null }

    public static func customer(_ customer: Customer) -> [StoredValue] {
        [.text(customer.code.rawValue), .text(customer.name), .text(customer.currency.code), .text(customer.terms.description),
         .integer(customer.creditLimit.minorUnits), .text(customer.category), .text(customer.email), .text(customer.phone)]
    }

    public static func entry(_ entry: JournalEntry, customer: Customer.ID?) -> [StoredValue] {
        [entry.day.storedValue, .text(entry.kind.rawValue), .text(entry.document), customer.storedValue,
         .text(entry.lines[0].amount.currency.code)]
    }

    public static func lines(of entry: JournalEntry, id: JournalEntry.ID) -> [[StoredValue]] {
        entry.lines.enumerated().map { index, line in
            [.integer(id.rawValue), .integer(Int64(index + 1)), .text(line.account.code), line.customer.storedValue,
             .integer(line.amount.minorUnits)]
        }
    }

    public static func invoice(_ invoice: Invoice, customer: Customer.ID, entry: JournalEntry.ID) -> [StoredValue] {
        [.text(invoice.number.rawValue), .integer(customer.rawValue), invoice.issue.storedValue, .integer(invoice.amount.minorUnits),
         .text(invoice.amount.currency.code), .text(invoice.description), invoice.discount?.until.storedValue ?? .null,
         number(invoice.discount?.amount.minorUnits), number(invoice.discount.map { Int64($0.basisPoints) }), .integer(entry.rawValue)]
    }

    public static func lines(of invoice: Invoice, id: Invoice.ID) -> [[StoredValue]] {
        invoice.lines.enumerated().map { index, line in
            [.integer(id.rawValue), .integer(Int64(index + 1)), .text(line.description), .integer(line.net.minorUnits),
             .integer(Int64(line.vatBasisPoints)), .integer(line.vat.minorUnits)]
        }
    }

    public static func item(_ part: ScheduledPart, seq: Int, of invoice: Invoice, id: Invoice.ID, customer: Customer.ID) -> [StoredValue] {
        [.integer(id.rawValue), .integer(Int64(seq)), .integer(customer.rawValue), invoice.issue.storedValue, part.due.storedValue,
         .integer(part.amount.minorUnits), .integer(part.amount.minorUnits)]
    }

    /// A credit with its whole amount unapplied; allocations then lower it.
    public static func credit(_ credit: NewCredit, entry: JournalEntry.ID?) -> [StoredValue] {
        [.text(credit.kind.rawValue), .text(credit.reference.rawValue), .integer(credit.customer.rawValue), credit.day.storedValue,
         .integer(credit.amount.minorUnits), .text(credit.amount.currency.code), credit.method?.rawValue.storedValue ?? .null,
         number(credit.invoice), .text(credit.memo), .integer(credit.amount.minorUnits), number(entry)]
    }

    /// Where the unapplied amount stands in a credit row with its id first.
    public static let creditUnappliedColumn = 10

    public static func allocation(_ allocation: NewAllocation) -> [StoredValue] {
        [.text(allocation.kind.rawValue), .integer(allocation.credit.id.rawValue), number(allocation.item?.id),
         .integer(allocation.credit.customer.rawValue), allocation.day.storedValue, .integer(allocation.amount.minorUnits),
         allocation.credit.day.storedValue, allocation.item?.issue.storedValue ?? .null, allocation.item?.due.storedValue ?? .null,
         number(allocation.reverses), number(allocation.entry)]
    }
}
