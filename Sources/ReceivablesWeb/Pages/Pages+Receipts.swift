import Bookkeeping
import Foundation
import Hummingbird
import Receivables
import RequestInput

/// The receipts list (search by reference, customer by code or name, days, advances only; totals of
/// the whole selection above it) and the receipt page (where its money went, its entries, and the
/// forms to apply its rest or reverse it).
extension Pages {
    static let receiptRoutes: [Route<Pages>] = [
        Route(.get, "receipts", .readBook, Pages.receipts), Route(.get, "receipts/{reference}", .readBook, Pages.receipt),
    ]

    @Sendable func receipts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let words = Words(UILanguage.of(request))
        let reports = Reports(storage: storage, caller: caller)
        let list = try await ListQuery(request, reports: reports)
        var filter = ReceiptFilter(limit: Limits.pageSizeDefault, offset: list.page * Limits.pageSizeDefault)
        filter.reference = list.text.isEmpty ? nil : list.text
        filter.unappliedOnly = request.uri.queryParameters.get("unapplied") == "1"
        filter.customer = list.customer
        filter.from = list.from
        filter.to = list.to
        let form = list.refused(words)
        let rows = form == nil ? try await reports.receipts(filter) : []
        let totals = form == nil ? try await reports.receiptTotals(filter) : ListTotals(count: 0, amount: [:], open: [:])
        let pager = list.pager("/receipts", count: totals.count, extra: filter.unappliedOnly ? ["unapplied=1"] : [])
        let view = ReceiptsView(
            q: list.text, customer: list.customerShown, from: list.values["from"] ?? "", to: list.values["to"] ?? "",
            unappliedOnly: filter.unappliedOnly,
            rows: rows.map { receipt, customer in
                .init(reference: receipt.reference.rawValue, link: Self.pathPart(receipt.reference.rawValue), day: receipt.day.description,
                      code: customer.code.rawValue, name: customer.name, method: receipt.method.map(words.method) ?? "",
                      amount: Display.money(receipt.amount), unapplied: Display.moneyUnlessZero(receipt.unapplied),
                      reversed: receipt.reversedOn.map { "\(words["reversed", or: "reversed"]) \($0)" })
            },
            count: totals.count, totalAmount: Display.sums(totals.amount), totalUnapplied: Display.sums(totals.open),
            canWrite: caller.principal.role.allows(.writeBook), pageNumber: list.page + 1, pages: pager.pages,
            next: pager.next, previous: pager.previous)
        return renderer.page("receipts", title: "receipts", request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }

    @Sendable func receipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await receiptPage(request, context: context, reference: DocumentNumber(try context.parameters.require("reference")), form: nil)
    }

    /// The receipt page; `form` is one of its forms sent back (apply the rest, reverse it).
    func receiptPage(_ request: Request, context: AppRequestContext, reference: DocumentNumber, form: FormState?) async throws -> Response {
        let caller = try context.requireCaller()
        let file = try await Reports(storage: storage, caller: caller).receiptFile(reference)
        let words = Words(UILanguage.of(request))
        let receipt = file.receipt
        let canWrite = caller.principal.role.allows(.writeBook)
        let applied = try Money.total(file.allocations.filter { $0.record.kind != .creditVoid }.map(\.record.amount), in: receipt.amount.currency)
        let view = ReceiptView(
            reference: receipt.reference.rawValue, link: Self.pathPart(receipt.reference.rawValue),
            code: file.customer.customer.code.rawValue, name: file.customer.customer.name,
            day: receipt.day.description, method: receipt.method.map(words.method) ?? "", amount: Display.money(receipt.amount),
            applied: Display.money(applied),
            unapplied: Display.money(receipt.unapplied), reversedOn: receipt.reversedOn?.description,
            allocations: file.allocations.map { allocation in
                let record = allocation.record
                return .init(id: record.id.rawValue, date: record.day.description, invoice: allocation.invoice?.rawValue,
                             invoiceLink: allocation.invoice.map { Self.pathPart($0.rawValue) },
                             kind: words["allocation_\(record.kind.rawValue)", or: record.kind.rawValue],
                             amount: Display.money(record.amount), reversed: record.reversedBy != nil)
            },
            entries: InvoiceView.Entry.list(file.entries, words: words),
            today: today().description,
            openInvoices: canWrite && receipt.reversedOn == nil && receipt.unapplied.isPositive
                ? try await Cash(storage: storage, caller: caller).proposal(customer: file.customer.customer.code, amount: "").invoices.map {
                    .init(number: $0.invoice.number.rawValue, due: $0.invoice.due.description, open: Display.money($0.invoice.open))
                } : [],
            canApply: canWrite && receipt.reversedOn == nil && receipt.unapplied.isPositive,
            canReverse: canWrite && receipt.reversedOn == nil)
        return renderer.page("receipt", title: receipt.reference.rawValue, request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }
}

/// The receipts list with the totals of everything the filter selects.
struct ReceiptsView {
    struct Row {
        let reference: String
        let link: String
        let day: String
        let code: String
        let name: String
        let method: String
        let amount: String
        let unapplied: String
        let reversed: String?
    }

    let q: String
    let customer: String
    let from: String
    let to: String
    let unappliedOnly: Bool
    let rows: [Row]
    let count: Int
    let totalAmount: String
    let totalUnapplied: String
    let canWrite: Bool
    let pageNumber: Int
    let pages: Int
    let next: String?
    let previous: String?
}

/// A receipt: what came in, where it went, what is left, its entries.
struct ReceiptView {
    struct OpenInvoice {
        let number: String
        let due: String
        let open: String
    }

    struct Allocation {
        let id: Int64
        let date: String
        let invoice: String?
        let invoiceLink: String?
        let kind: String
        let amount: String
        let reversed: Bool
    }

    let reference: String
    let link: String
    let code: String
    let name: String
    let day: String
    let method: String
    let amount: String
    let applied: String
    let unapplied: String
    let reversedOn: String?
    let allocations: [Allocation]
    let entries: [InvoiceView.Entry]
    let today: String
    /// The customer's open invoices, offered in the field that applies the rest.
    let openInvoices: [OpenInvoice]
    let canApply: Bool
    let canReverse: Bool
}
