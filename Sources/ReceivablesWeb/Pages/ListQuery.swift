import Bookkeeping
import Foundation
import Hummingbird
import Receivables
import RequestInput

/// What a list page (invoices, receipts) was asked for: the page, the search text (`q`), the customer
/// as typed (a code or a name) and the one it names, and the days (`from`, `to`). A customer or a day
/// the list cannot use is said beside its field (`check`), and the list is then empty rather than an
/// error page.
struct ListQuery {
    let page: Int
    let text: String
    let customerText: String
    private(set) var customerCode = ""
    private(set) var customer: Customer.ID?
    let from: Day?
    let to: Day?
    let check: FieldCheck

    static let pageMax = 10_000

    init(_ request: Request, reports: Reports) async throws {
        let query = request.uri.queryParameters
        page = min(Self.pageMax, max(0, query.get("page").flatMap { Int($0) } ?? 0))
        text = String((query.get("q") ?? "").trimmed.prefix(64))
        customerText = String((query.get("customer") ?? "").prefix(200))
        var check = FieldCheck()
        from = check.optionalDay(query.get("from"), "from")
        to = check.optionalDay(query.get("to"), "to")
        if !customerText.trimmed.isEmpty {
            do {
                let code = try await reports.findCustomer(customerText)
                customerCode = code.rawValue
                customer = try await reports.customer(code).id
            } catch let error as BookError {
                // A name that matches no customer, or several, is said beside the field.
                FormState.issues(of: error).forEach { check.note("customer", $0.reason) }
            }
        }
        self.check = check
        fromText = query.get("from").map { String($0.prefix(40)) } ?? ""
        toText = query.get("to").map { String($0.prefix(40)) } ?? ""
    }

    private let fromText: String
    private let toText: String

    /// The fields as typed, for showing the filter again.
    var values: [String: String] { ["q": text, "customer": customerText, "from": fromText, "to": toText] }

    /// The customer field as it is shown again: the code it named, or what was typed.
    var customerShown: String { customerCode.isEmpty ? customerText : customerCode }

    /// The filter's state when a field was refused, nil when the list can be shown.
    func refused(_ words: Words) -> FormState? {
        check.errors.isEmpty ? nil : FormState("filter", values: values, error: check, fields: Set(values.keys), words: words)
    }

    /// The address of page `page` of `path` with this query and `extra` parameters ("status=open").
    func link(_ path: String, page: Int, extra: [String] = []) -> String {
        var parts = extra + ["page=\(page)"]
        for (key, value) in [("q", text), ("customer", customerCode)] where !value.isEmpty {
            parts.append("\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        }
        if let from { parts.append("from=\(from)") }
        if let to { parts.append("to=\(to)") }
        return path + "?" + parts.joined(separator: "&")
    }

    /// The pages a list of `count` rows has, and the links around page `page`.
    func pager(_ path: String, count: Int, extra: [String] = []) -> (pages: Int, next: String?, previous: String?) {
        let size = Limits.pageSizeDefault
        return (max(1, (count + size - 1) / size), (page + 1) * size < count ? link(path, page: page + 1, extra: extra) : nil,
                page > 0 ? link(path, page: page - 1, extra: extra) : nil)
    }
}
