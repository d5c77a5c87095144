import Bookkeeping
import Receivables

// The view models of the book's pages: each is what its template shows, as display strings, flags and
// links made once here, so that the template only lays them out.

/// The dashboard: totals, the aging chart, the most overdue customers and the latest receipts.
struct DashboardView {
    struct Debtor {
        let code: String
        let link: String
        let name: String
        let overdue: String
    }

    struct Receipt {
        let code: String
        let link: String
        let name: String
        let reference: String
        let referenceLink: String
        let date: String
        let amount: String
    }

    let asOf: String
    let receivables: String
    let overdue: String
    let advances: String
    let balance: String
    let chart: String
    let dso: String
    let top: [Debtor]
    let receipts: [Receipt]
}

/// The aging report with a link from every non-zero cell to the items behind it.
struct AgingView {
    struct Cell {
        let amount: String
        let bucket: Int
        let code: String
        let nonzero: Bool
    }

    struct Row {
        let code: String
        let link: String
        let name: String
        let cells: [Cell]
        let unapplied: String
        let balance: String
    }

    let asOf: String
    let basisDue: Bool
    let basisInvoice: Bool
    let buckets: String
    let labels: [String]
    let rows: [Row]
    /// Each column's total, linked to the customers behind it.
    let totals: [Cell]
    let totalUnapplied: String
    let totalBalance: String
    let empty: Bool
    let csvQuery: String
    let cellQuery: String
    /// Of every customer, not only this page's.
    let customers: Int
    let pageNumber: Int
    let pages: Int
    let next: String?
    let previous: String?
}

/// The items behind one cell of the aging report.
struct AgingCellView {
    struct Item {
        let number: String
        let link: String
        let issue: String
        let due: String
        let daysOverdue: String
        let amount: String
        let open: String
    }

    let code: String
    let link: String
    let name: String
    let asOf: String
    let label: String
    let items: [Item]
    let total: String
}

/// One page of the customer list.
struct CustomersView {
    struct Row {
        let code: String
        let name: String
        let balance: String
        let overdue: String
        let limit: String
        let used: String
        let overLimit: Bool
    }

    let q: String
    let total: Int
    /// Of every customer found, not only this page's.
    let totalBalance: String
    let totalOverdue: String
    let rows: [Row]
    let sorts: [OptionView]
    let canWrite: Bool
    let next: String?
    let previous: String?
}

/// The audit trail, newest first.
struct AuditView {
    struct Record {
        let id: Int64
        let at: String
        let actor: String
        let action: String
        let entity: String
        let key: String
        /// What changed, one line per field ("Name: A → B"), in the reader's words.
        let changes: [AuditChanges.Change]
    }

    let records: [Record]
    let older: String?
}

/// One column of the aging report: the customers with something in that bucket, largest first.
struct AgingBucketView {
    struct Row {
        let code: String
        let link: String
        let name: String
        let amount: String
        let bucket: Int
    }

    let asOf: String
    let label: String
    let total: String
    let rows: [Row]
    let cellQuery: String
}
