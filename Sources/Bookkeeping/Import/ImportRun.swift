import Interchange
import Receivables

/// One import inside its transaction: reads records, validates each, writes the good ones and
/// collects the issues. Throws `ImportFailure` at the end when there was any issue, so the
/// transaction rolls back.
struct ImportRun {
    let writer: BookWriter
    let kind: ImportKind
    let autoAllocate: Bool
    /// Customers by code, loaded once: an import of a million rows looks each up in memory.
    var customers: [Customer.Code: (id: Customer.ID, summary: CustomerSummary)] = [:]
    var issues: [ImportIssue] = []
    var issueCount = 0
    var rows = 0
    var applied: [String: Int64] = [:]
    var unapplied: [String: Int64] = [:]

    init(writer: BookWriter, kind: ImportKind, autoAllocate: Bool) throws {
        self.writer = writer
        self.kind = kind
        self.autoAllocate = autoAllocate
        for (id, summary) in try writer.tx.customerDirectory() { customers[summary.code] = (id, summary) }
    }

    mutating func consume(_ reader: CSVReader) throws {
        do {
            guard let header = try reader.next() else {
                throw ImportFailure(issues: [ImportIssue(line: 1, column: "file", reason: "the file is empty")], issueCount: 1)
            }
            let map = try ColumnMap(header: header.fields, kind: kind)
            while let record = try reader.next() {
                rows += 1
                do {
                    try handle(record, map: map)
                } catch let error as RowIssue {
                    report(ImportIssue(line: record.line, column: error.column, reason: error.reason))
                } catch let error as BookError {
                    report(ImportIssue(line: record.line, column: error.field ?? "row", reason: error.description))
                }
            }
        } catch let error as CSVError {
            report(ImportIssue(line: error.line, column: "file", reason: error.reason))
        } catch let error as FileReadError {
            report(ImportIssue(line: 0, column: "file", reason: error.description))
        }
        guard issueCount == 0 else { throw ImportFailure(issues: issues, issueCount: issueCount) }
    }

    mutating func report(_ issue: ImportIssue) {
        issueCount += 1
        if issues.count < ImportFailure.issuesMax { issues.append(issue) }
    }

    private mutating func handle(_ record: CSVRecord, map: ColumnMap) throws {
        switch kind {
        case .customers: try addCustomer(record.fields, map: map)
        case .invoices: try addInvoice(record.fields, map: map)
        case .receipts: try addReceipt(record.fields, map: map)
        }
    }
}

/// A bad value in one row, before it reaches the book.
struct RowIssue: Error {
    let column: String
    let reason: String
}
