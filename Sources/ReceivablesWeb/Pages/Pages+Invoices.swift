import Bookkeeping
import Foundation
import Hummingbird
import Receivables
import RequestInput

/// The invoices list (filters: status, customer, issue days) and the invoice page.
extension Pages {
    @Sendable func invoices(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let day = today()
        let page = max(0, query.get("page").flatMap { Int($0) } ?? 0)
        var filter = InvoiceFilter(today: day, limit: Limits.pageSizeDefault, offset: page * Limits.pageSizeDefault)
        filter.status = query.get("status").flatMap(InvoiceFilter.Status.init(rawValue:)) ?? .any
        var check = FieldCheck()
        filter.issuedFrom = check.optionalDay(query.get("from"), "from")
        filter.issuedTo = check.optionalDay(query.get("to"), "to")
        let customerCode = query.get("customer") ?? ""
        try check.done()
        let reports = Reports(storage: storage, caller: caller)
        if !customerCode.isEmpty {
            filter.customer = try await reports.customer(Customer.Code(customerCode)).id
        }
        let rows = try await reports.invoices(filter)
        let language = UILanguage.of(request)
        let link = { (page: Int) -> String in
            var parts = ["status=\(filter.status.rawValue)", "page=\(page)"]
            if !customerCode.isEmpty { parts.append("customer=\(customerCode.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
            if let from = filter.issuedFrom { parts.append("from=\(from)") }
            if let to = filter.issuedTo { parts.append("to=\(to)") }
            return "/invoices?" + parts.joined(separator: "&")
        }
        let view = InvoicesView(
            customer: customerCode, from: filter.issuedFrom?.description ?? "", to: filter.issuedTo?.description ?? "",
            statuses: InvoiceFilter.Status.allCases.map {
                .init(value: $0.rawValue, label: language.strings["status_\($0.rawValue)"] ?? $0.rawValue, selected: $0 == filter.status)
            },
            rows: rows.map { row, customer in
                .init(number: row.number.rawValue, code: customer.code.rawValue, name: customer.name, issue: row.issue.description,
                      due: row.due.description, amount: Display.money(row.amount), open: Display.money(row.open),
                      overdue: row.isOverdue(asOf: day))
            },
            next: rows.count == Limits.pageSizeDefault ? link(page + 1) : nil, previous: page > 0 ? link(page - 1) : nil)
        return renderer.page("invoices", title: "invoices", language: language, context: context, content: view)
    }

    @Sendable func invoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let number = DocumentNumber(try context.parameters.require("number"))
        let file = try await Reports(storage: storage, caller: caller).invoiceFile(number)
        let invoice = file.invoice.invoice
        let view = InvoiceView(
            number: invoice.number.rawValue, code: file.customer.customer.code.rawValue, name: file.customer.customer.name,
            issue: invoice.issue.description, amount: Display.money(invoice.amount), description: invoice.description,
            today: today().description, discount: invoice.discount.map { "\(Display.money($0.amount)) ≤ \($0.until)" },
            items: file.items.map { .init(due: $0.due.description, amount: Display.money($0.amount), open: Display.money($0.open)) },
            allocations: file.allocations.map { allocation in
                let record = allocation.record
                return .init(id: record.id.rawValue, kind: record.kind.rawValue, date: record.day.description,
                             credit: "\(allocation.creditKind.rawValue) \(allocation.creditReference.rawValue)", amount: Display.money(record.amount),
                             reversed: record.reversedBy != nil, canReverse: record.kind == .allocation && record.reversedBy == nil)
            },
            entries: file.entries.map { id, entry in
                .init(id: id.rawValue, date: entry.day.description, kind: entry.kind.rawValue, document: entry.document,
                      lines: entry.lines.map { line in
                          .init(account: line.account.code, debit: line.amount.isPositive ? Display.money(line.amount) : "",
                                credit: line.amount.isNegative ? Display.money((try? line.amount.negated()) ?? line.amount) : "")
                      })
            })
        return renderer.page("invoice", title: invoice.number.rawValue, language: UILanguage.of(request), context: context, content: view)
    }
}
