import Interchange
import Receivables

/// One import inside its transaction. A reader thread turns records into prepared rows (parsing,
/// the domain's checks) while this, on the writer thread, writes them in file order and collects
/// the issues. Throws `ImportFailure` at the end when there was any issue, so the transaction
/// rolls back.
struct ImportRun {
    let writer: BookWriter
    let kind: ImportKind
    let autoAllocate: Bool
    var issues: [ImportIssue] = []
    var issueCount = 0
    var rows = 0
    var applied: [Currency: Money] = [:]
    var unapplied: [Currency: Money] = [:]
    var total: [Currency: Money] = [:]
    var preview: [ImportPreviewRow] = []

    init(writer: BookWriter, kind: ImportKind, autoAllocate: Bool) {
        self.writer = writer
        self.kind = kind
        self.autoAllocate = autoAllocate
    }

    mutating func consume(_ reader: CSVReader) throws {
        let preparer: RowPreparer
        do {
            guard let header = try reader.next() else {
                throw ImportFailure(issues: [ImportIssue(line: 1, column: "file", reason: "the file is empty")], issueCount: 1)
            }
            var customers: [Customer.Code: (id: Customer.ID, summary: CustomerSummary)] = [:]
            if kind != .customers {
                for (id, summary) in try writer.tx.customerDirectory() { customers[summary.code] = (id, summary) }
            }
            preparer = RowPreparer(kind: kind, map: try ColumnMap(header: header.fields, kind: kind), autoAllocate: autoAllocate,
                                   bookCurrency: writer.settings.currency, customers: customers)
        } catch let error as CSVError {
            throw ImportFailure(issues: [ImportIssue(line: error.line, column: "file", reason: error.reason)], issueCount: 1)
        } catch let error as FileReadError {
            throw ImportFailure(issues: [ImportIssue(line: 0, column: "file", reason: error.description)], issueCount: 1)
        }
        let pipeline = RowPipeline(reader: reader, preparer: preparer)
        defer { pipeline.close() }
        while let batch = pipeline.next() {
            for item in batch {
                switch item {
                case .row(let line, let row):
                    rows += 1
                    if preview.count < ImportPreviewRow.shown { preview.append(ImportPreviewRow(line: line, fields: Self.fields(of: row))) }
                    do {
                        try write(row)
                    } catch let error as BookError {
                        report(ImportIssue(line: line, column: error.field ?? "row", reason: error.description))
                    }
                case .issue(let issue):
                    report(issue)
                }
            }
        }
        guard issueCount == 0 else { throw ImportFailure(issues: issues, issueCount: issueCount) }
    }

    mutating func report(_ issue: ImportIssue) {
        issueCount += 1
        if issues.count < ImportFailure.issuesMax { issues.append(issue) }
    }

    /// A row's key fields, as `ImportPreviewRow.columns` names them.
    static func fields(of row: PreparedRow) -> [String] {
        switch row {
        case .customer(let customer):
            [customer.code.rawValue, customer.name, customer.currency.code, customer.terms.description, customer.creditLimit.decimalString]
        case .invoice(let invoice, _):
            [invoice.number.rawValue, invoice.customer.rawValue, invoice.issue.description, invoice.schedule.last?.due.description ?? "",
             invoice.amount.decimalString]
        case .receipt(let receipt, _, _, _):
            [receipt.reference.rawValue, receipt.customer.rawValue, receipt.day.description, receipt.amount.decimalString, receipt.method.rawValue,
             receipt.invoice?.rawValue ?? ""]
        }
    }

    /// Adds `amount` to the file's total in its currency; a file whose total passes 64 bits is refused whole.
    private mutating func count(_ amount: Money) throws {
        guard let sum = try? total[amount.currency, default: .zero(amount.currency)].adding(amount) else {
            throw BookError.invalid(field: "amount", reason: "the file's amounts total more than arbook can sum exactly (\(Money.decimalString(.max, exponent: amount.currency.exponent)))")
        }
        total[amount.currency] = sum
    }

    private mutating func write(_ row: PreparedRow) throws {
        switch row {
        case .customer(let customer):
            _ = try writer.addCustomer(customer)
        case .invoice(let invoice, let customer):
            _ = try writer.post(invoice, customer: customer)
            try count(invoice.amount)
        case .receipt(let receipt, let customer, let currency, let application):
            let credit = try writer.recordReceipt(receipt, customer: customer, currency: currency, application: application)
            // A file whose receipts total more than 64 bits of minor units is refused whole, not trapped on.
            let zero = Money.zero(currency)
            guard let applied = try? self.applied[currency, default: zero].adding(credit.amount.subtracting(credit.unapplied)),
                  let unapplied = try? self.unapplied[currency, default: zero].adding(credit.unapplied) else {
                throw BookError.invalid(field: "amount", reason: "the file's receipts total more than arbook can sum exactly (\(Money.decimalString(.max, exponent: currency.exponent)))")
            }
            self.applied[currency] = applied
            self.unapplied[currency] = unapplied
            try count(receipt.amount)
        }
    }
}
