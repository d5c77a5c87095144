import Bookkeeping
import Receivables

/// The customer page: profile, aging, open invoices, unapplied credits, the ledger and the
/// collections timeline with its forms.
struct CustomerView {
    struct Invoice {
        let number: String
        let link: String
        let issue: String
        let due: String
        let amount: String
        let open: String
        let overdue: Bool
        let daysOverdue: String
    }

    struct Credit {
        let reference: String
        /// The receipt's page (a credit note has none of its own).
        let link: String?
        let kind: String
        let date: String
        let amount: String
        let unapplied: String
    }

    struct Line {
        let day: String
        let document: String
        let kind: String
        let debit: String
        let credit: String
        let balance: String
    }

    struct TimelineEntry {
        let day: String
        let what: String
        let who: String
        let text: String
        let invoice: String
    }

    let code: String
    let link: String
    let name: String
    let currency: String
    let terms: String
    let openCount: Int
    let openShown: Int
    let openMore: Bool
    let creditCount: Int
    let creditShown: Int
    let creditMore: Bool
    let ledgerAsked: String
    let limit: String
    let category: String
    let email: String
    let phone: String
    let labels: [String]
    let cells: [String]
    let balance: String
    let unapplied: String
    let invoices: [Invoice]
    let credits: [Credit]
    let ledgerFrom: String
    let opening: String
    let closing: String
    let lines: [Line]
    /// How many earlier lines of the period asked for are in the opening balance (nil: none).
    let ledgerEarlier: Int?
    let timeline: [TimelineEntry]
    let canChase: Bool
    let canWrite: Bool
    /// The day the customer was put on credit hold (停止供货), if they are on it.
    let onHoldSince: String?
    let canRelease: Bool
    let today: String
    let activityKinds: [OptionView]
}
