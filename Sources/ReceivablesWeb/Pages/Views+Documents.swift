import Bookkeeping
import Receivables

/// A choice in a select: its value, its label in the page's language, whether it is chosen.
struct OptionView {
    let value: String
    let label: String
    let selected: Bool
}

/// One page of the invoice list with its filters.
struct InvoicesView {
    struct Row {
        let number: String
        let code: String
        let name: String
        let issue: String
        let due: String
        let amount: String
        let open: String
        let status: String
        let overdue: Bool
        let daysOverdue: String
    }

    let q: String
    let customer: String
    let from: String
    let to: String
    let statuses: [OptionView]
    let rows: [Row]
    /// Of every invoice the filter selects, not only this page's.
    let count: Int
    let totalAmount: String
    let totalOpen: String
    let canWrite: Bool
    let pageNumber: Int
    let pages: Int
    let next: String?
    let previous: String?
}

/// An invoice with its schedule, allocations (each reversible while in force) and journal entries.
struct InvoiceView {
    struct Item {
        let due: String
        let amount: String
        let open: String
    }

    struct Allocation {
        let id: Int64
        let kind: String
        let date: String
        let credit: String
        let amount: String
        let reversed: Bool
        let canReverse: Bool
    }

    struct Entry {
        struct Line {
            let account: String
            let debit: String
            let credit: String
        }

        let id: Int64
        let date: String
        let kind: String
        let document: String
        let lines: [Line]

        /// Journal entries as a page shows them: each line's account with its name, debit or credit.
        static func list(_ entries: [(id: JournalEntry.ID, entry: JournalEntry)], words: Words) -> [Entry] {
            entries.map { id, entry in
                Entry(id: id.rawValue, date: entry.day.description, kind: words.entryKind(entry.kind.rawValue), document: entry.document,
                      lines: entry.lines.map { line in
                          Line(account: words.account(line.account.code),
                               debit: line.amount.isPositive ? Display.money(line.amount) : "",
                               credit: line.amount.isNegative ? Display.money((try? line.amount.negated()) ?? line.amount) : "")
                      })
            }
        }
    }

    let number: String
    let code: String
    let name: String
    let issue: String
    let amount: String
    let description: String
    let today: String
    /// The cash discount offered, if any, said in words.
    let discount: String?
    let items: [Item]
    let allocations: [Allocation]
    let entries: [Entry]
    let canWrite: Bool
}

/// The form of a new invoice.
struct NewInvoiceView {
    let date: String
    let customer: String
}

/// The cash page: a customer's open invoices with what a receipt would pay of each.
struct CashView {
    struct Customer {
        let code: String
        let name: String
    }

    struct Invoice {
        let number: String
        let link: String
        let issue: String
        let due: String
        let open: String
        /// What the receipt would pay of it, as typed or as the book proposes ("35,436.21").
        let proposed: String
    }

    let date: String
    let methods: [OptionView]
    /// The customer as typed (a code or a name).
    let customerText: String
    var customer: Customer?
    let amount: String
    let reference: String
    var invoices: [Invoice]
    /// What the amounts shown apply, and what would stay as an advance (empty until an amount is given).
    var applied: String
    var advance: String
    /// The sign amounts are shown with ("¥", or the currency's code), for the script that keeps the totals current.
    var symbol: String
}

/// The import page: the upload form, then what a check found, then what was imported.
struct ImportView {
    struct Good {
        let rows: Int
        let encoding: String
        /// What the invoices or receipts add up to (none for customers).
        let total: String?
        /// Receipts: what they apply to invoices, and what stays as advances.
        let applied: String?
        let unapplied: String?
        let columns: [String]
        let preview: [[String]]
        /// Rows not shown in the preview.
        let more: Int
    }

    struct Already {
        let rows: Int
        /// When the same file was imported, in the book's time zone.
        let at: String
    }

    struct Issue {
        let line: Int
        let column: String
        let reason: String
    }

    var kind = ""
    var kindName = ""
    var upload = ""
    var autoAllocate = false
    var kinds: [OptionView] = []
    var good: Good?
    var already: Already?
    var done: Good?
    var issues: [Issue] = []
    var issueCount = 0
    var hasIssues = false
}

/// The sign-in form.
struct SignInView {
    let loginCSRF: String
    let error: String?
}

/// The one-time set-up form.
struct SetupView {
    let setupCSRF: String
    let error: String?
}

/// An error page: the status, what went wrong and each field at fault.
/// The one error page: what went wrong in the page's language, and the way on (the navigation, home).
struct ErrorView {
    let status: Int
    let problemTitle: String
    let detail: String
    let errors: [String]
}
