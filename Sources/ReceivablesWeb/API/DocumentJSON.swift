import Bookkeeping
import Interchange
import Receivables

/// How the API writes each resource: exact decimal strings, ISO days, keys in a fixed order.
enum DocumentJSON {
    static func customer(_ id: Customer.ID, _ summary: CustomerSummary) -> JSONText {
        .object([("id", .int(id.rawValue)), ("code", .string(summary.code.rawValue)), ("name", .string(summary.name)),
                 ("currency", .string(summary.currency.code)), ("payment_terms", .string(summary.terms.description))])
    }

    static func invoice(_ stored: StoredInvoice) -> JSONText {
        let invoice = stored.invoice
        return .object([
            ("id", .id(stored.id)), ("number", .string(invoice.number.rawValue)), ("customer", .string(invoice.customer.rawValue)),
            ("issue_date", .string(invoice.issue.description)), ("amount", .string(invoice.amount.decimalString)),
            ("currency", .string(invoice.amount.currency.code)), ("description", .string(invoice.description)),
            ("due_schedule", .array(invoice.schedule.map {
                .object([("due_date", .string($0.due.description)), ("amount", .string($0.amount.decimalString))])
            })),
        ])
    }

    static func credit(_ credit: StoredCredit) -> JSONText {
        .object([
            ("id", .id(credit.id)), ("kind", .string(credit.kind.rawValue)), ("reference", .string(credit.reference.rawValue)),
            ("date", .string(credit.day.description)), ("amount", .string(credit.amount.decimalString)),
            ("unapplied", .string(credit.unapplied.decimalString)), ("currency", .string(credit.amount.currency.code)),
            ("method", credit.method.map { .string($0.rawValue) } ?? .null),
            ("reversed_on", credit.reversedOn.map { .string($0.description) } ?? .null),
        ])
    }

    static func allocation(_ record: AllocationRecord) -> JSONText {
        .object([("id", .id(record.id)), ("kind", .string(record.kind.rawValue)), ("date", .string(record.day.description)),
                 ("amount", .string(record.amount.decimalString)), ("open_item", record.item.map { .id($0) } ?? .null)])
    }
}
