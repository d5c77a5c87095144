import Receivables

/// One bad value in an import file: the line, the column and the rule it broke.
public struct ImportIssue: Error, Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: String
    public let reason: String
    public init(line: Int, column: String, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }
    public var description: String { "line \(line), \(column): \(reason)" }
}

/// The import was refused: nothing was written. Holds the first issues (up to `issuesMax`) and how
/// many there were in all.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public static let issuesMax = 1000
    public let issues: [ImportIssue]
    public let issueCount: Int
    public init(issues: [ImportIssue], issueCount: Int) {
        self.issues = issues
        self.issueCount = issueCount
    }
    public var description: String {
        let more = issueCount > issues.count ? "\n… and \(issueCount - issues.count) more" : ""
        return "\(issueCount) bad row(s), nothing imported:\n" + issues.map(\.description).joined(separator: "\n") + more
    }
}

/// What an import did.
public enum ImportOutcome: Sendable, Equatable {
    case imported(ImportSummary)
    /// A dry run found nothing wrong; nothing was written.
    case checked(ImportSummary)
    /// The same file (same bytes) was imported before: nothing was written this time.
    case alreadyImported(ImportBatch)
}

public struct ImportSummary: Sendable, Equatable {
    public let kind: ImportKind
    public let rows: Int
    /// Receipts only: total applied to invoices and total left as advances, per currency.
    public let applied: [Currency: Money]
    public let unapplied: [Currency: Money]
    public let encoding: String
    /// What the file's invoices or receipts add up to, per currency (empty for customers).
    public var total: [Currency: Money] = [:]
    /// The first rows as they will be written, for a person to check before confirming.
    public var preview: [ImportPreviewRow] = []
}

/// One row of a file as the book read it: its line, and its key fields in the order of `ImportPreviewRow.columns`.
public struct ImportPreviewRow: Sendable, Equatable {
    public let line: Int
    public let fields: [String]

    /// The rows a preview shows.
    public static let shown = 10

    /// The names of the fields of a row of `kind`, as the import's columns are named.
    public static func columns(_ kind: ImportKind) -> [String] {
        switch kind {
        case .customers: ["code", "name", "currency", "terms", "credit_limit"]
        case .invoices: ["number", "customer", "issue_date", "due_date", "amount"]
        case .receipts: ["reference", "customer", "date", "amount", "method", "invoice"]
        }
    }
}
