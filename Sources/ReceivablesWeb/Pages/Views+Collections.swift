import Bookkeeping
import Receivables

/// The collector's worklist: who needs something today, and why.
struct WorklistView {
    struct Row {
        let code: String
        let link: String
        let name: String
        let overdue: String
        let days: Int
        let onHold: Bool
        let reasons: [String]
        let urgent: Bool
        /// The next action agreed ("2026-07-01 call back"), if any.
        let next: String?
    }

    let asOf: String
    let rows: [Row]
}

/// One page of the outbox, newest first.
struct OutboxView {
    struct Message {
        let id: Int64
        let status: String
        let failed: Bool
        let channel: String
        let recipient: String
        let subject: String
        let attempts: Int
        let error: String
        let created: String
    }

    let messages: [Message]
    let filters: [OptionView]
    let older: String?
}

/// One message of the outbox as it was written, with its delivery state.
struct OutboxMessageView {
    let id: Int64
    let status: String
    let channel: String
    let recipient: String
    let subject: String
    let body: String
    let attempts: Int
    let language: String
    let canResend: Bool
    let isLetter: Bool
    let error: String?
    let sent: String?
}

/// The disputes, open ones or all, with the forms that close them.
struct DisputesView {
    struct Dispute {
        let id: Int64
        let code: String
        let link: String
        let name: String
        let invoice: String
        let invoiceLink: String
        let amount: String
        let reason: String
        let opened: String
        let age: Int
        let owner: String
        let status: String
        let open: Bool
        let resolution: String
    }

    let all: Bool
    let today: String
    let canResolve: Bool
    let canReject: Bool
    let disputes: [Dispute]
}
