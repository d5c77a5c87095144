import Interchange
import Receivables

/// A record of an import file made into what the book will write, or the issue that stops it.
enum PreparedRow: Sendable {
    case customer(Customer)
    case invoice(Invoice, customer: Customer.ID)
    case receipt(Receipt, customer: Customer.ID, currency: Currency, application: ReceiptApplication)
}

/// Turns records into prepared rows. Reads nothing from the book but the customer directory taken
/// when the import started, so it can run on its own thread while the writer writes.
struct RowPreparer: Sendable {
    let kind: ImportKind
    let map: ColumnMap
    let autoAllocate: Bool
    let bookCurrency: Currency
    /// Customers by code, loaded once: an import of a million rows looks each up in memory.
    let customers: [Customer.Code: (id: Customer.ID, summary: CustomerSummary)]

    func prepare(_ record: CSVRecord) -> Result<PreparedRow, ImportIssue> {
        do {
            switch kind {
            case .customers: return .success(.customer(try customer(record.fields)))
            case .invoices: return .success(try invoice(record.fields))
            case .receipts: return .success(try receipt(record.fields))
            }
        } catch let error as RowIssue {
            return .failure(ImportIssue(line: record.line, column: error.column, reason: error.reason))
        } catch let error as BookError {
            return .failure(ImportIssue(line: record.line, column: error.field ?? "row", reason: error.description))
        } catch {
            return .failure(ImportIssue(line: record.line, column: "row", reason: "\(error)"))
        }
    }
}

/// A bad value in one row, before it reaches the book.
struct RowIssue: Error {
    let column: String
    let reason: String
}
