import Receivables

/// Book-wide settings: its default currency and the accounts it posts to.
public struct BookSettings: Hashable, Sendable {
    public var currency: Currency
    public var chart: Chart
    /// A dunning run whose plan would put more than this share (percent) of the book's customers on
    /// credit hold, or into the legal level, waits for a manager's approval of its plan.
    public var dunningHoldShareMax = 10
    public var dunningLegalShareMax = 5
    /// The company keeping the book, as its letters are headed and signed.
    public var company = CompanyProfile()
    public init(currency: Currency = .cny, chart: Chart = Chart()) {
        self.currency = currency
        self.chart = chart
    }

    /// The settings from the book's `setting` rows (key, value); none is a book never initialised.
    public init(stored rows: [(key: String, value: String)]) throws {
        guard !rows.isEmpty else { throw BookError.notInitialized }
        self.init()
        for (key, value) in rows {
            if key == "currency", let currency = Currency(code: value) {
                self.currency = currency
            } else if key.hasPrefix("account.") {
                _ = chart.set(String(key.dropFirst("account.".count)), to: Account(value))
            } else if key.hasPrefix("company."), let field = CompanyProfile.Field(rawValue: String(key.dropFirst("company.".count))) {
                company[field] = value
            } else if key == "dunning.hold_share_max", let percent = Int(value), (0...100).contains(percent) {
                dunningHoldShareMax = percent
            } else if key == "dunning.legal_share_max", let percent = Int(value), (0...100).contains(percent) {
                dunningLegalShareMax = percent
            }
        }
    }

    /// The `setting` rows (key, value) that store these settings.
    public var stored: [(key: String, value: String)] {
        [("currency", currency.code), ("dunning.hold_share_max", String(dunningHoldShareMax)),
         ("dunning.legal_share_max", String(dunningLegalShareMax))] + chart.named.map { ("account.\($0.0)", $0.1.code) }
            + CompanyProfile.Field.allCases.map { ("company.\($0.rawValue)", company[$0]) }
    }
}

public struct StoredCustomer: Hashable, Sendable {
    public let id: Customer.ID
    public let customer: Customer
    /// The user (a collector) the customer is assigned to, if any.
    public let collector: User.ID?
    public init(id: Customer.ID, customer: Customer, collector: User.ID? = nil) {
        self.id = id
        self.customer = customer
        self.collector = collector
    }
}

public struct CustomerSummary: Hashable, Sendable {
    public let code: Customer.Code
    public let name: String
    public let currency: Currency
    public let terms: PaymentTerms
    public let collector: User.ID?
    /// The credit limit, in `currency`; zero when none is set.
    public let creditLimit: Money
    public init(code: Customer.Code, name: String, currency: Currency, terms: PaymentTerms, collector: User.ID? = nil,
                creditLimit: Money? = nil) {
        self.code = code
        self.name = name
        self.currency = currency
        self.terms = terms
        self.collector = collector
        self.creditLimit = creditLimit ?? .zero(currency)
    }
}

public struct StoredInvoice: Hashable, Sendable {
    public let id: Invoice.ID
    public let customer: Customer.ID
    public let invoice: Invoice
    public init(id: Invoice.ID, customer: Customer.ID, invoice: Invoice) {
        self.id = id
        self.customer = customer
        self.invoice = invoice
    }
}

/// An invoice with something still open, for the cash page.
public struct OpenInvoice: Hashable, Sendable {
    public let number: DocumentNumber
    public let issue: Day
    /// The earliest due day among its open items.
    public let due: Day
    public let amount: Money
    public let open: Money
    public init(number: DocumentNumber, issue: Day, due: Day, amount: Money, open: Money) {
        self.number = number
        self.issue = issue
        self.due = due
        self.amount = amount
        self.open = open
    }

    public func isOverdue(asOf: Day) -> Bool { Overdue.isOverdue(due: due, open: open, asOf: asOf) }
}

/// Which invoices a list shows.
public struct InvoiceFilter: Hashable, Sendable {
    public enum Status: String, CaseIterable, Sendable { case any, open, paid, overdue }
    public var status: Status = .any
    public var customer: Customer.ID?
    public var issuedFrom: Day?
    public var issuedTo: Day?
    /// Invoices whose number contains this text (case as typed).
    public var number: String?
    /// For `overdue`: due before this day.
    public var today: Day
    public var limit: Int
    public var offset: Int
    public init(today: Day, limit: Int, offset: Int = 0) {
        self.today = today
        self.limit = limit
        self.offset = offset
    }
}

/// An invoice in a list.
public struct InvoiceRow: Hashable, Sendable {
    public let number: DocumentNumber
    public let customer: Customer.ID
    public let issue: Day
    public let due: Day
    public let amount: Money
    public let open: Money
    public init(number: DocumentNumber, customer: Customer.ID, issue: Day, due: Day, amount: Money, open: Money) {
        self.number = number
        self.customer = customer
        self.issue = issue
        self.due = due
        self.amount = amount
        self.open = open
    }

    public func isOverdue(asOf: Day) -> Bool { Overdue.isOverdue(due: due, open: open, asOf: asOf) }
}

/// An allocation touching an invoice, with the credit it came from.
public struct InvoiceAllocation: Hashable, Sendable {
    public let record: AllocationRecord
    public let creditKind: CreditKind
    public let creditReference: DocumentNumber
    public init(record: AllocationRecord, creditKind: CreditKind, creditReference: DocumentNumber) {
        self.record = record
        self.creditKind = creditKind
        self.creditReference = creditReference
    }
}

/// What paying an invoice needs to know of it.
public struct PayableInvoice: Hashable, Sendable {
    public let id: Invoice.ID
    public let customer: Customer.ID
    public let open: [OpenItem]
    public init(id: Invoice.ID, customer: Customer.ID, open: [OpenItem]) {
        self.id = id
        self.customer = customer
        self.open = open
    }
}

public enum CreditKind: String, Hashable, Sendable {
    case receipt
    case creditNote = "credit_note"
}

public struct NewCredit: Hashable, Sendable {
    public let kind: CreditKind
    public let reference: DocumentNumber
    public let customer: Customer.ID
    public let day: Day
    public let amount: Money
    public let method: PaymentMethod?
    public let invoice: Invoice.ID?
    public let memo: String
    public init(kind: CreditKind, reference: DocumentNumber, customer: Customer.ID, day: Day, amount: Money,
                method: PaymentMethod?, invoice: Invoice.ID?, memo: String) {
        self.kind = kind
        self.reference = reference
        self.customer = customer
        self.day = day
        self.amount = amount
        self.method = method
        self.invoice = invoice
        self.memo = memo
    }
}

public struct StoredCredit: Hashable, Sendable {
    public let id: Credit.ID
    public let kind: CreditKind
    public let reference: DocumentNumber
    public let customer: Customer.ID
    public let day: Day
    public let amount: Money
    public let unapplied: Money
    public let method: PaymentMethod?
    public let reversedOn: Day?
    public init(id: Credit.ID, kind: CreditKind, reference: DocumentNumber, customer: Customer.ID, day: Day,
                amount: Money, unapplied: Money, method: PaymentMethod?, reversedOn: Day?) {
        self.id = id
        self.kind = kind
        self.reference = reference
        self.customer = customer
        self.day = day
        self.amount = amount
        self.unapplied = unapplied
        self.method = method
        self.reversedOn = reversedOn
    }

    public var asCredit: Credit {
        Credit(id: id, customer: customer, day: day, unapplied: unapplied, reversed: reversedOn != nil)
    }
}

/// What an allocation row records. `amount` is positive for an allocation and negative for its
/// reversal; a receipt reversal consumes the credit's unapplied rest with a row that has no item.
public enum AllocationKind: String, Hashable, Sendable {
    case allocation
    case reversal
    case creditVoid = "credit_void"
}

public struct NewAllocation: Hashable, Sendable {
    public let kind: AllocationKind
    public let credit: StoredCredit
    public let item: OpenItem?
    public let day: Day
    public let amount: Money
    public let reverses: AllocationRecord.ID?
    public let entry: JournalEntry.ID?
    public init(kind: AllocationKind, credit: StoredCredit, item: OpenItem?, day: Day, amount: Money,
                reverses: AllocationRecord.ID? = nil, entry: JournalEntry.ID?) {
        self.kind = kind
        self.credit = credit
        self.item = item
        self.day = day
        self.amount = amount
        self.reverses = reverses
        self.entry = entry
    }
}

public struct AllocationRecord: Hashable, Sendable {
    public typealias ID = Identifier<AllocationRecord>
    public let id: ID
    public let kind: AllocationKind
    public let credit: Credit.ID
    public let item: OpenItem.ID?
    public let customer: Customer.ID
    public let day: Day
    public let amount: Money
    public let reversedBy: ID?
    public init(id: ID, kind: AllocationKind, credit: Credit.ID, item: OpenItem.ID?, customer: Customer.ID, day: Day,
                amount: Money, reversedBy: ID?) {
        self.id = id
        self.kind = kind
        self.credit = credit
        self.item = item
        self.customer = customer
        self.day = day
        self.amount = amount
        self.reversedBy = reversedBy
    }
}

/// A piece of an open amount for aging: a row of the stream a report sums (millions of them), so
/// its amount stays minor units of the customer's currency until the report puts the sum in it.
public struct OpenAmount: Hashable, Sendable {
    public let customer: Customer.ID
    public let issue: Day
    public let due: Day
    public let minorUnits: Int64
    public init(customer: Customer.ID, issue: Day, due: Day, minorUnits: Int64) {
        self.customer = customer
        self.issue = issue
        self.due = due
        self.minorUnits = minorUnits
    }
}

/// A piece of an unapplied credit for aging, in minor units like `OpenAmount`.
public struct UnappliedAmount: Hashable, Sendable {
    public let customer: Customer.ID
    public let minorUnits: Int64
    public init(customer: Customer.ID, minorUnits: Int64) {
        self.customer = customer
        self.minorUnits = minorUnits
    }
}

/// A file imported once: importing the same bytes again is recognised by the fingerprint.
public struct ImportBatch: Hashable, Sendable {
    public let fingerprint: String
    public let kind: String
    public let fileName: String
    public let rows: Int
    public let importedAt: String
    public init(fingerprint: String, kind: String, fileName: String, rows: Int, importedAt: String) {
        self.fingerprint = fingerprint
        self.kind = kind
        self.fileName = fileName
        self.rows = rows
        self.importedAt = importedAt
    }
}

/// The totals `check` compares, as the engine summed them: sums over rows in minor units of each
/// customer's currency, and the ids of the rows that disagree.
public struct CheckFigures: Hashable, Sendable {
    public struct UnbalancedEntry: Hashable, Sendable {
        public let entry: JournalEntry.ID
        public let document: String
        public let difference: Int64
        public init(entry: JournalEntry.ID, document: String, difference: Int64) {
            self.entry = entry
            self.document = document
            self.difference = difference
        }
    }
    public var unbalanced: [UnbalancedEntry] = []
    /// Σ open amounts of items, per customer.
    public var openItems: [Customer.ID: Int64] = [:]
    /// Σ unapplied amounts of credits, per customer.
    public var unappliedCredits: [Customer.ID: Int64] = [:]
    /// Σ journal lines on the receivables account, per customer (debit positive).
    public var receivablesAccount: [Customer.ID: Int64] = [:]
    /// Σ journal lines on the advances account, per customer (credit positive).
    public var advancesAccount: [Customer.ID: Int64] = [:]
    /// Items whose open amount is not their amount less their allocations.
    public var itemsOutOfStep: [Discrepancy] = []
    /// Credits whose unapplied amount is not their amount less their allocations.
    public var creditsOutOfStep: [Discrepancy] = []
    public var entries: Int = 0

    public init() {}

    /// A stored figure that differs from what its history derives.
    public struct Discrepancy: Hashable, Sendable {
        public let id: Int64
        public let stored: Int64
        public let derived: Int64
        public init(id: Int64, stored: Int64, derived: Int64) {
            self.id = id
            self.stored = stored
            self.derived = derived
        }
    }
}

/// Currencies and payment terms as a book stores them (ISO codes, terms text), parsed once each:
/// what every engine's readers share.
public struct StoredTextParser {
    private var currencies: [String: Currency] = [:]
    private var terms: [String: PaymentTerms] = [:]

    public init() {}

    public static func currency(_ code: String) throws -> Currency {
        guard let currency = Currency(code: code) else {
            throw StorageError(code: .incompatible, message: "the book holds an unknown currency '\(code)'")
        }
        return currency
    }

    /// Terms the book cannot read (written by a newer version) read as net 30.
    public static func terms(_ text: String) -> PaymentTerms {
        (try? PaymentTerms.parse(text)) ?? .net(30)
    }

    public mutating func currency(_ code: String) throws -> Currency {
        if let known = currencies[code] { return known }
        let currency = try Self.currency(code)
        currencies[code] = currency
        return currency
    }

    public mutating func terms(_ text: String) -> PaymentTerms {
        if let known = terms[text] { return known }
        let parsed = Self.terms(text)
        terms[text] = parsed
        return parsed
    }
}
