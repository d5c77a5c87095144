/// What kind of financial event a journal entry records.
public enum EntryKind: String, CaseIterable, Hashable, Sendable {
    case invoice
    case receipt
    case creditNote = "credit_note"
    case allocation
    case allocationReversal = "allocation_reversal"
    case receiptReversal = "receipt_reversal"
    /// A late fee or interest charged by dunning (滞纳金), a receivable of its own.
    case lateFee = "late_fee"
}

/// One line of a journal entry: a signed amount on an account (debit positive, credit negative),
/// with the customer when the account is kept per customer (receivables, advances).
public struct JournalLine: Hashable, Sendable {
    public let account: Account
    public let customer: Customer.ID?
    public let amount: Money

    public init(account: Account, customer: Customer.ID?, amount: Money) {
        self.account = account
        self.customer = customer
        self.amount = amount
    }

    public static func debit(_ account: Account, _ amount: Money, customer: Customer.ID? = nil) -> JournalLine {
        JournalLine(account: account, customer: customer, amount: amount)
    }

    public static func credit(_ account: Account, _ amount: Money, customer: Customer.ID? = nil) -> JournalLine {
        JournalLine(account: account, customer: customer, amount: Money(minorUnits: -amount.minorUnits, currency: amount.currency))
    }
}

/// A balanced journal entry: the one record of one financial event.
///
/// Built only through `init`, which drops zero lines and asserts the entry balances in one currency:
/// an unbalanced entry is a programmer error, never user input.
public struct JournalEntry: Hashable, Sendable {
    public let day: Day
    public let kind: EntryKind
    public let document: String
    public let lines: [JournalLine]

    public init(day: Day, kind: EntryKind, document: String, lines: [JournalLine]) {
        let kept = lines.filter { !$0.amount.isZero }
        precondition(!kept.isEmpty, "a journal entry needs lines")
        let currency = kept[0].amount.currency
        precondition(kept.allSatisfy { $0.amount.currency == currency }, "a journal entry has one currency")
        precondition((try? Money.total(kept.map(\.amount.minorUnits))) == 0, "journal entry \(document) does not balance")
        self.day = day
        self.kind = kind
        self.document = document
        self.lines = kept
    }

    /// An entry read back from a book, as it is: a damaged book is `check`'s to report, not a crash.
    public init(stored day: Day, kind: EntryKind, document: String, lines: [JournalLine]) {
        self.day = day
        self.kind = kind
        self.document = document
        self.lines = lines
    }
}
