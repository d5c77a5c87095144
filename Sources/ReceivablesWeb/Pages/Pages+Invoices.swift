import Bookkeeping
import Foundation
import Hummingbird
import Receivables
import RequestInput

/// The invoices list (filters: number, customer by code or name, status, issue days; totals of the
/// whole selection above it) and the invoice page.
extension Pages {
    @Sendable func invoices(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let day = today()
        let words = Words(UILanguage.of(request))
        let reports = Reports(storage: storage, caller: caller)
        let list = try await ListQuery(request, reports: reports)
        var filter = InvoiceFilter(today: day, limit: Limits.pageSizeDefault, offset: list.page * Limits.pageSizeDefault)
        filter.status = request.uri.queryParameters.get("status").flatMap(InvoiceFilter.Status.init(rawValue:)) ?? .any
        filter.number = list.text.isEmpty ? nil : list.text
        filter.customer = list.customer
        filter.issuedFrom = list.from
        filter.issuedTo = list.to
        let form = list.refused(words)
        let rows = form == nil ? try await reports.invoices(filter) : []
        let totals = form == nil ? try await reports.invoiceTotals(filter) : ListTotals(count: 0, amount: [:], open: [:])
        let pager = list.pager("/invoices", count: totals.count, extra: ["status=\(filter.status.rawValue)"])
        let view = InvoicesView(
            q: list.text, customer: list.customerShown, from: list.values["from"] ?? "", to: list.values["to"] ?? "",
            statuses: InvoiceFilter.Status.allCases.map {
                .init(value: $0.rawValue, label: words["status_\($0.rawValue)", or: $0.rawValue], selected: $0 == filter.status)
            },
            rows: rows.map { row, customer in
                let overdueDays = row.isOverdue(asOf: day) ? row.due.distance(to: day) : 0
                let status = row.open.isZero ? "paid" : overdueDays > 0 ? "overdue" : "open"
                return .init(number: row.number.rawValue, code: customer.code.rawValue, name: customer.name, issue: row.issue.description,
                             due: row.due.description, amount: Display.money(row.amount), open: Display.money(row.open),
                             status: words["status_\(status)", or: status], overdue: overdueDays > 0,
                             daysOverdue: overdueDays > 0 ? String(overdueDays) : "")
            },
            count: totals.count, totalAmount: Display.sums(totals.amount), totalOpen: Display.sums(totals.open),
            canWrite: caller.principal.role.allows(.writeBook),
            pageNumber: list.page + 1, pages: pager.pages, next: pager.next, previous: pager.previous)
        return renderer.page("invoices", title: "invoices", request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }

    @Sendable func invoice(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await invoicePage(request, context: context, number: DocumentNumber(try context.parameters.require("number")), form: nil)
    }

    /// The invoice page; `form` is one of its forms sent back (a credit note, an advance applied, a reversal).
    func invoicePage(_ request: Request, context: AppRequestContext, number: DocumentNumber, form: FormState?) async throws -> Response {
        let caller = try context.requireCaller()
        let file = try await Reports(storage: storage, caller: caller).invoiceFile(number)
        let invoice = file.invoice.invoice
        let words = Words(UILanguage.of(request))
        let canWrite = caller.principal.role.allows(.writeBook)
        let view = InvoiceView(
            number: invoice.number.rawValue, code: file.customer.customer.code.rawValue, name: file.customer.customer.name,
            issue: invoice.issue.description, amount: Display.money(invoice.amount), description: invoice.description,
            today: today().description,
            discount: invoice.discount.map { offer in
                words.language == .zh ? "\(offer.until) 前付款可减 \(Display.money(offer.amount))"
                    : "\(Display.money(offer.amount)) off if paid by \(offer.until)"
            },
            items: file.items.map { .init(due: $0.due.description, amount: Display.money($0.amount), open: Display.money($0.open)) },
            allocations: file.allocations.map { allocation in
                let record = allocation.record
                return .init(id: record.id.rawValue, kind: words["allocation_\(record.kind.rawValue)", or: record.kind.rawValue],
                             date: record.day.description,
                             credit: "\(words.entity(allocation.creditKind.rawValue)) \(allocation.creditReference.rawValue)",
                             amount: Display.money(record.amount), reversed: record.reversedBy != nil,
                             canReverse: canWrite && record.kind == .allocation && record.reversedBy == nil)
            },
            entries: InvoiceView.Entry.list(file.entries, words: words),
            canWrite: canWrite)
        return renderer.page("invoice", title: invoice.number.rawValue, request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }
}
