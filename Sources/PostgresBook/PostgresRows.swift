import Bookkeeping
import Receivables

/// The rows a document is stored as, in the column order of `PostgresBulk.Table` (without the id the
/// table gives it): one definition for the INSERT of a single document and the COPY of a load.
enum Rows {
    static func number(_ value: Int64?) -> StoredValue { value.map { .integer($0) } ?? .null }
    static func day(_ value: Day?) -> StoredValue { value.map { .integer(Int64($0.ordinal)) } ?? .null }
    static func text(_ value: String?) -> StoredValue { value.map { .text($0) } ?? .null }

    static func customer(_ customer: Customer) -> [StoredValue] {
        [.text(customer.code.rawValue), .text(customer.name), .text(customer.currency.code), .text(customer.terms.description),
         .integer(customer.creditLimit.minorUnits), .text(customer.category), .text(customer.email), .text(customer.phone)]
    }

    static func entry(_ entry: JournalEntry, customer: Customer.ID?) -> [StoredValue] {
        [day(entry.day), .text(entry.kind.rawValue), .text(entry.document), number(customer?.rawValue),
         .text(entry.lines[0].amount.currency.code)]
    }

    static func lines(of entry: JournalEntry, id: Int64) -> [[StoredValue]] {
        entry.lines.enumerated().map { index, line in
            [.integer(id), .integer(Int64(index + 1)), .text(line.account.code), number(line.customer?.rawValue),
             .integer(line.amount.minorUnits)]
        }
    }

    static func invoice(_ invoice: Invoice, customer: Customer.ID, entry: Int64) -> [StoredValue] {
        [.text(invoice.number.rawValue), .integer(customer.rawValue), day(invoice.issue), .integer(invoice.amount.minorUnits),
         .text(invoice.amount.currency.code), .text(invoice.description), day(invoice.discount?.until),
         number(invoice.discount?.amount.minorUnits), number(invoice.discount.map { Int64($0.basisPoints) }), .integer(entry)]
    }

    static func lines(of invoice: Invoice, id: Int64) -> [[StoredValue]] {
        invoice.lines.enumerated().map { index, line in
            [.integer(id), .integer(Int64(index + 1)), .text(line.description), .integer(line.net.minorUnits),
             .integer(Int64(line.vatBasisPoints)), .integer(line.vat.minorUnits)]
        }
    }

    static func item(_ part: ScheduledPart, seq: Int, of invoice: Invoice, id: Int64, customer: Customer.ID) -> [StoredValue] {
        [.integer(id), .integer(Int64(seq)), .integer(customer.rawValue), day(invoice.issue), day(part.due),
         .integer(part.amount.minorUnits), .integer(part.amount.minorUnits)]
    }

    /// A credit with its whole amount unapplied; allocations then lower it.
    static func credit(_ credit: NewCredit, entry: Int64?) -> [StoredValue] {
        [.text(credit.kind.rawValue), .text(credit.reference.rawValue), .integer(credit.customer.rawValue), day(credit.day),
         .integer(credit.amount.minorUnits), .text(credit.amount.currency.code), text(credit.method?.rawValue), number(credit.invoice),
         .text(credit.memo), .integer(credit.amount.minorUnits), number(entry)]
    }

    static func allocation(_ allocation: NewAllocation) -> [StoredValue] {
        [.text(allocation.kind.rawValue), .integer(allocation.credit.id), number(allocation.item?.id),
         .integer(allocation.credit.customer.rawValue), day(allocation.day), .integer(allocation.amount.minorUnits),
         day(allocation.credit.day), day(allocation.item?.issue), day(allocation.item?.due), number(allocation.reverses),
         number(allocation.entry)]
    }
}
