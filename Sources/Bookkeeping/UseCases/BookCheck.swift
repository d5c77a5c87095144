import Receivables

/// One way the book fails to tie out. Its figures are raw minor units, as the rows hold them: a
/// broken book is described as it is stored, without trusting its currencies to be consistent.
public enum CheckFinding: Hashable, Sendable, CustomStringConvertible {
    case unbalancedEntry(entry: JournalEntry.ID, document: String, difference: Int64)
    case receivablesDiffer(customer: String, openItems: Int64, account: Int64)
    case advancesDiffer(customer: String, unappliedCredits: Int64, account: Int64)
    case itemOutOfStep(item: Int64, stored: Int64, derived: Int64)
    case creditOutOfStep(credit: Int64, stored: Int64, derived: Int64)

    public var description: String {
        switch self {
        case .unbalancedEntry(let entry, let document, let difference):
            "journal entry \(entry) (\(document)) does not balance: debits − credits = \(difference) minor units"
        case .receivablesDiffer(let customer, let items, let account):
            "customer \(customer): open items sum to \(items) but the receivables account holds \(account) (minor units)"
        case .advancesDiffer(let customer, let credits, let account):
            "customer \(customer): unapplied credits sum to \(credits) but the advances account holds \(account) (minor units)"
        case .itemOutOfStep(let item, let stored, let derived):
            "open item \(item): stored open amount \(stored) but amount less allocations is \(derived)"
        case .creditOutOfStep(let credit, let stored, let derived):
            "credit \(credit): stored unapplied amount \(stored) but amount less allocations is \(derived)"
        }
    }
}

/// The result of `check`: empty findings mean the book ties out.
public struct CheckReport: Hashable, Sendable {
    public let entries: Int
    public let customers: Int
    public let findings: [CheckFinding]
    public var passed: Bool { findings.isEmpty }
}

/// Proves ARCHITECTURE.md rule 6 on a stored book: every entry balances, and per customer
/// Σ open items = receivables account and Σ unapplied credits = advances account.
public struct BookCheck: Sendable {
    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    public func run() async throws -> CheckReport {
        try caller.principal.require(.readBook)
        return try await storage.read { reader in try Self.run(reader) }
    }

    static func run(_ reader: any BookReader) throws -> CheckReport {
        let figures = try reader.checkFigures(chart: reader.settings().chart)
        let directory = try reader.customerDirectory()
        func name(_ id: Customer.ID) -> String { directory[id]?.code.rawValue ?? "#\(id.rawValue)" }
        var findings = figures.unbalanced.map { CheckFinding.unbalancedEntry(entry: $0.entry, document: $0.document, difference: $0.difference) }
        let customers = Set(figures.openItems.keys).union(figures.receivablesAccount.keys)
        for id in customers.sorted() {
            let items = figures.openItems[id] ?? 0
            let account = figures.receivablesAccount[id] ?? 0
            if items != account { findings.append(.receivablesDiffer(customer: name(id), openItems: items, account: account)) }
        }
        for id in Set(figures.unappliedCredits.keys).union(figures.advancesAccount.keys).sorted() {
            let credits = figures.unappliedCredits[id] ?? 0
            let account = figures.advancesAccount[id] ?? 0
            if credits != account { findings.append(.advancesDiffer(customer: name(id), unappliedCredits: credits, account: account)) }
        }
        findings += figures.itemsOutOfStep.map { .itemOutOfStep(item: $0.id, stored: $0.stored, derived: $0.derived) }
        findings += figures.creditsOutOfStep.map { .creditOutOfStep(credit: $0.id, stored: $0.stored, derived: $0.derived) }
        return CheckReport(entries: figures.entries, customers: directory.count, findings: findings)
    }
}
