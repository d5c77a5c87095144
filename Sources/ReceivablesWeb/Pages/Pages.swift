import Bookkeeping
import Foundation
import Hummingbird
import HTTPTypes
import Interchange
import Receivables

/// The server-rendered pages. Like the API, each page calls use cases with the signed-in caller;
/// every form post carries the session's CSRF token, checked by `CSRFMiddleware` before a handler runs.
struct Pages {
    let storage: any BookStorage
    let renderer: Renderer
    let sessions: Sessions
    let cookies: SessionCookies
    let throttle: LoginThrottle
    let clock: @Sendable () -> Int64
    let today: @Sendable () -> Day
    let passwordCost: UInt8
    let uploads = Uploads()

    func registerPublic(on router: Router<AppRequestContext>) {
        router.group("login").add(middleware: CSRFMiddleware(.cookie(SessionCookies.loginCSRF)))
            .get(use: loginForm).post(use: login)
        router.get("lang/:code", use: switchLanguage)
        router.group("setup").add(middleware: CSRFMiddleware(.cookie(SessionCookies.setupCSRF)))
            .get(use: setupForm).post(use: setup)
    }

    func registerSignedIn(on group: RouterGroup<AppRequestContext>) {
        group.get("/", use: dashboard)
        group.get("aging", use: aging)
        group.get("aging/cell", use: agingCell)
        group.get("customers", use: customers)
        group.get("customers/:code", use: customer)
        group.get("customers/:code/ledger.csv", use: customerLedgerCSV)
        group.get("audit", use: audit)
        group.get("invoices", use: invoices)
        group.get("invoices/new", use: newInvoiceForm)
        group.post("invoices", use: issueInvoice)
        group.get("invoices/:number", use: invoice)
        group.post("invoices/:number/credit-notes", use: issueCreditNote)
        group.post("allocations", use: applyAdvance)
        group.post("allocations/:id/reversal", use: reverseAllocation)
        group.post("receipts/reversal", use: reverseReceipt)
        group.get("import", use: importForm)
        group.post("import", use: importCheck)
        group.post("import/confirm", use: importConfirm)
        group.get("cash", use: cash)
        group.post("cash", use: recordReceipt)
        group.post("logout", use: logout)
        registerCollections(on: group)
    }

    // MARK: signing in and out

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try loginPage(request, context: context, error: nil)
    }

    private func loginPage(_ request: Request, context: AppRequestContext, error: String?,
                           status: HTTPResponse.Status = .ok) throws -> Response {
        let token = Sessions.randomToken()
        let language = UILanguage.of(request)
        var response = renderer.page("login", title: "sign_in", language: language, context: context,
                                     values: ["login_csrf": token].merging(error.map { ["error": language.strings[$0] ?? $0] } ?? [:]) { $1 },
                                     status: status)
        response.setCookie(cookies.on(request).loginCSRF(token))
        return response
    }

    struct LoginForm: Decodable {
        let name: String
        let password: String
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await Self.form(LoginForm.self, from: &request)
        let now = clock()
        guard await throttle.allows(form.name, now: now) else {
            return try loginPage(request, context: context, error: "too_many", status: .tooManyRequests)
        }
        guard let principal = try await Users(storage: storage, caller: .commandLine).authenticate(name: form.name, password: form.password) else {
            await throttle.failed(form.name, now: now)
            return try loginPage(request, context: context, error: "bad_login", status: .unauthorized)
        }
        await throttle.succeeded(form.name)
        let (token, _) = try await sessions.open(for: principal)
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(cookies.on(request).session(token))
        response.setCookie(cookies.on(request).expired(SessionCookies.loginCSRF))
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[SessionCookies.session]?.value { try await sessions.close(token) }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(cookies.on(request).expired(SessionCookies.session))
        return response
    }

    @Sendable func switchLanguage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = UILanguage(rawValue: try context.parameters.require("code")) ?? .en
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: UILanguage.cookie, value: language.rawValue, maxAge: 365 * 86_400, path: "/",
                                  secure: cookies.on(request).secure, httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: pages

    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        // A collector's home is their worklist.
        if caller.principal.role == .collector { return try await worklist(request, context: context) }
        let figures = try await Reports(storage: storage, caller: caller).dashboard(asOf: today())
        let report = figures.aging
        let currency = report.currency
        let overdue = report.totalOverdue
        let open = report.totalOpen
        let top = report.rows.map { row in (row, row.overdue) }
            .filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }.prefix(10)
        let values: [String: Any] = [
            "as_of": report.asOf.description,
            "receivables": Display.money(open, currency),
            "overdue": Display.money(overdue, currency),
            "advances": Display.money(report.totalUnapplied, currency),
            "balance": Display.money(report.totalBalance, currency),
            "chart": AgingChart.svg(labels: report.buckets.labels, amounts: report.totalBuckets, currency: currency),
            "top": top.map { row, amount in ["code": row.code.rawValue, "name": row.name, "overdue": Display.money(amount, currency)] },
            "dso": figures.dsoTenths.map { "\($0 / 10).\($0 % 10)" } ?? "–",
            "receipts": figures.recentReceipts.map { code, name, receipt in
                ["code": code.rawValue, "name": name, "reference": receipt.reference.rawValue, "date": receipt.day.description,
                 "amount": Display.money(receipt.amount.minorUnits, receipt.amount.currency)]
            },
        ]
        return renderer.page("dashboard", title: "dashboard", language: UILanguage.of(request), context: context, values: values)
    }

    @Sendable func aging(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let options = try Reports.AgingOptions.parse(asOf: query.get("as_of"), basis: query.get("basis"), buckets: query.get("buckets"),
                                                     currency: nil, today: today())
        let report = try await Reports(storage: storage, caller: caller).aging(options)
        if query.get("format") == "csv" {
            // Excel opens UTF-8 CSV correctly only with a byte-order mark.
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"aging-\(report.asOf).csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: CSVWriter.byteOrderMark + AgingFormats.csv(report))))
        }
        let currency = report.currency
        let language = UILanguage.of(request)
        let values: [String: Any] = [
            "as_of": report.asOf.description, "basis_due": options.basis == .due, "basis_invoice": options.basis == .invoice,
            "buckets": options.buckets.borders.map(String.init).joined(separator: ","),
            "labels": report.buckets.labels.map { $0 == "current" ? (language.strings["current"] ?? $0) : $0 },
            "rows": report.rows.map { row in
                ["code": row.code.rawValue, "name": row.name,
                 "cells": row.buckets.enumerated().map { index, amount in
                     ["amount": Display.money(amount, currency), "bucket": index, "code": row.code.rawValue, "nonzero": amount != 0] as [String: Any]
                 },
                 "unapplied": Display.money(row.unapplied, currency), "balance": Display.money(row.balance, currency)] as [String: Any]
            },
            "totals": report.totalBuckets.map { Display.money($0, currency) },
            "total_unapplied": Display.money(report.totalUnapplied, currency),
            "total_balance": Display.money(report.totalBalance, currency),
            "empty": report.rows.isEmpty,
            "csv_query": "as_of=\(report.asOf)&basis=\(options.basis.rawValue)&buckets=\(options.buckets.borders.map(String.init).joined(separator: ","))&format=csv",
            "cell_query": "as_of=\(report.asOf)&basis=\(options.basis.rawValue)&buckets=\(options.buckets.borders.map(String.init).joined(separator: ","))",
        ]
        return renderer.page("aging", title: "aging", language: language, context: context, values: values)
    }

    /// The invoices behind one cell of the aging report.
    @Sendable func agingCell(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let options = try Reports.AgingOptions.parse(asOf: query.get("as_of"), basis: query.get("basis"), buckets: query.get("buckets"),
                                                     currency: nil, today: today())
        guard let bucket = query.get("bucket").flatMap({ Int($0) }), let code = query.get("customer") else {
            throw BookError.invalid(field: "bucket", reason: "customer and bucket are required")
        }
        let (customer, items) = try await Reports(storage: storage, caller: caller)
            .agingCell(customer: Customer.Code(code), options: options, bucket: bucket)
        let currency = customer.customer.currency
        let values: [String: Any] = [
            "code": code, "name": customer.customer.name, "as_of": options.asOf.description,
            "label": options.buckets.labels[bucket],
            "items": items.map { number, item in
                ["number": number.rawValue, "issue": item.issue.description, "due": item.due.description,
                 "amount": Display.money(item.amount.minorUnits, currency), "open": Display.money(item.open.minorUnits, currency)]
            },
            "total": Display.money(try Money.total(items.map(\.item.open.minorUnits)), currency),
        ]
        return renderer.page("aging_cell", title: "aging", language: UILanguage.of(request), context: context, values: values)
    }

    @Sendable func customers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let search = String((query.get("q") ?? "").prefix(100))
        let sort = query.get("sort").flatMap(Reports.CustomerSort.init(rawValue:)) ?? .code
        let page = max(0, query.get("page").flatMap { Int($0) } ?? 0)
        let (rows, total) = try await Reports(storage: storage, caller: caller)
            .standings(asOf: today(), search: search, sort: sort, page: page, pageSize: Limits.pageSizeDefault)
        let language = UILanguage.of(request)
        let link = { (page: Int) in "/customers?q=\(search.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")&sort=\(sort.rawValue)&page=\(page)" }
        var values: [String: Any] = [
            "q": search, "total": total,
            "rows": rows.map { row -> [String: Any] in
                ["code": row.summary.code.rawValue, "name": row.summary.name,
                 "balance": Display.money(row.balance, row.summary.currency), "overdue": Display.money(row.overdue, row.summary.currency),
                 "limit": row.summary.creditLimit > 0 ? Display.money(row.summary.creditLimit, row.summary.currency) : "–",
                 "used": row.limitUsedPercent.map { "\($0)%" } ?? "–", "over_limit": (row.limitUsedPercent ?? 0) > 100]
            },
            "sorts": Reports.CustomerSort.allCases.map {
                ["value": $0.rawValue, "label": language.strings["sort_\($0.rawValue)"] ?? $0.rawValue, "selected": $0 == sort]
            },
        ]
        if (page + 1) * Limits.pageSizeDefault < total { values["next"] = link(page + 1) }
        if page > 0 { values["previous"] = link(page - 1) }
        return renderer.page("customers", title: "customers", language: language, context: context, values: values)
    }

    @Sendable func customer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = Customer.Code(try context.parameters.require("code"))
        let day = today()
        let ledgerFrom = day.advanced(by: -90)
        let file = try await Reports(storage: storage, caller: caller).customerFile(code, today: day, ledgerFrom: ledgerFrom)
        let customer = file.customer.customer
        let currency = customer.currency
        let money = { (minor: Int64) in Display.money(minor, currency) }
        let language = UILanguage.of(request)
        var values: [String: Any] = [
            "code": customer.code.rawValue, "name": customer.name, "currency": currency.code, "terms": customer.terms.description,
            "open_count": file.openInvoiceCount, "open_shown": file.openInvoices.count, "open_more": file.openInvoiceCount > file.openInvoices.count,
            "credit_count": file.unappliedCount, "credit_shown": file.unappliedCredits.count,
            "credit_more": file.unappliedCount > file.unappliedCredits.count, "ledger_asked": ledgerFrom.description,
            "limit": money(customer.creditLimit.minorUnits), "category": customer.category, "email": customer.email, "phone": customer.phone,
            "labels": file.buckets.labels.map { $0 == "current" ? (language.strings["current"] ?? $0) : $0 },
            "cells": (file.aging?.buckets ?? Array(repeating: 0, count: file.buckets.labels.count)).map(money),
            "balance": money(file.aging?.balance ?? 0), "unapplied": money(file.aging?.unapplied ?? 0),
            "invoices": file.openInvoices.map { ["number": $0.number.rawValue, "issue": $0.issue.description, "due": $0.due.description,
                                                 "amount": money($0.amount.minorUnits), "open": money($0.open.minorUnits),
                                                 "overdue": $0.isOverdue(asOf: day)] },
            "credits": file.unappliedCredits.map { ["reference": $0.reference.rawValue, "kind": $0.kind.rawValue, "date": $0.day.description,
                                                    "amount": money($0.amount.minorUnits), "unapplied": money($0.unapplied.minorUnits)] },
            "ledger_from": file.ledger.from?.description ?? "", "opening": money(file.ledger.opening), "closing": money(file.ledger.closing),
            "lines": file.ledger.lines.map { ["day": $0.day.description, "document": $0.document, "kind": $0.kind.rawValue,
                                              "debit": $0.debit == 0 ? "" : money($0.debit), "credit": $0.credit == 0 ? "" : money($0.credit),
                                              "balance": money($0.balance)] },
        ]
        if file.ledgerLinesNotShown > 0 { values["ledger_earlier"] = file.ledgerLinesNotShown }
        values["timeline"] = try await timelineValues(customer.code, caller: caller, language: language, currency: currency)
        values["can_chase"] = caller.principal.role.allows(.chase)
        return renderer.page("customer", title: customer.name, language: language, context: context, values: values)
    }

    /// Letters, digits, '-' and '_' of `text`, the rest as '_': safe inside a quoted file name.
    static func fileNamePart(_ text: String) -> String {
        String(text.prefix(64).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    /// The customer's ledger (客户往来明细) for a period as CSV with a byte-order mark, for Excel.
    @Sendable func customerLedgerCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = Customer.Code(try context.parameters.require("code"))
        let query = request.uri.queryParameters
        let from = try query.get("from").flatMap { $0.isEmpty ? nil : try Field.day(String($0), "from") }
        let to = try query.get("to").flatMap { $0.isEmpty ? nil : try Field.day(String($0), "to") } ?? today()
        let ledger = try await Reports(storage: storage, caller: try context.requireCaller()).ledger(customer: code, from: from, to: to)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"ledger-\(Self.fileNamePart(code.rawValue))-\(to).csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: CSVWriter.byteOrderMark + LedgerFormats.csv(ledger))))
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }
        let records = try await AuditTrail(storage: storage, caller: caller).records(limit: Limits.pageSizeDefault, before: before)
        var values: [String: Any] = [
            "records": records.map { ["id": $0.id ?? 0, "at": $0.at, "actor": $0.actor, "action": $0.action, "entity": $0.entity,
                                      "key": $0.key, "before": $0.before ?? "", "after": $0.after ?? ""] },
        ]
        if records.count == Limits.pageSizeDefault, let last = records.last?.id { values["older"] = "/audit?before=\(last)" }
        return renderer.page("audit", title: "audit", language: UILanguage.of(request), context: context, values: values)
    }

    // MARK: forms

    static func form<T: Decodable>(_ type: T.Type, from request: inout Request) async throws -> T {
        let body = try await request.collectBody(upTo: Limits.requestBytesMax)
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: body))
        } catch {
            throw Problem(status: .badRequest, title: "Malformed form", detail: "the form is missing a field")
        }
    }

}
