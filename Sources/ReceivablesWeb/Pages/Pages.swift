import Bookkeeping
import Foundation
import Hummingbird
import HTTPTypes
import Interchange
import Receivables
import RequestInput

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
        Route.register(Self.routes, of: self, on: group)
    }

    /// Every page and form of a signed-in user, with the permission each needs.
    static let routes: [Route<Pages>] = [
        Route(.get, "/", .readBook, Pages.dashboard), Route(.get, "aging", .readBook, Pages.aging), Route(.get, "aging/cell", .readBook, Pages.agingCell),
        Route(.get, "customers", .readBook, Pages.customers), Route(.get, "customers/{code}", .readBook, Pages.customer),
        Route(.get, "customers/{code}/ledger.csv", .readBook, Pages.customerLedgerCSV), Route(.get, "audit", .readAudit, Pages.audit),
        Route(.get, "invoices", .readBook, Pages.invoices), Route(.get, "invoices/new", .writeBook, Pages.newInvoiceForm),
        Route(.post, "invoices", .writeBook, Pages.issueInvoice), Route(.get, "invoices/{number}", .readBook, Pages.invoice),
        Route(.post, "invoices/{number}/credit-notes", .writeBook, Pages.issueCreditNote), Route(.post, "allocations", .writeBook, Pages.applyAdvance),
        Route(.post, "allocations/{id}/reversal", .writeBook, Pages.reverseAllocation),
        Route(.post, "receipts/reversal", .writeBook, Pages.reverseReceipt), Route(.get, "import", .readBook, Pages.importForm),
        Route(.post, "import", .writeBook, Pages.importCheck), Route(.post, "import/confirm", .writeBook, Pages.importConfirm),
        Route(.get, "cash", .readBook, Pages.cash), Route(.post, "cash", .writeBook, Pages.recordReceipt),
        // Every role may sign out.
        Route(.post, "logout", .readBook, Pages.logout),
    ] + collectionsRoutes

    // MARK: signing in and out

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try loginPage(request, context: context, error: nil)
    }

    private func loginPage(_ request: Request, context: AppRequestContext, error: String?,
                           status: HTTPResponse.Status = .ok) throws -> Response {
        let token = Sessions.randomToken()
        let language = UILanguage.of(request)
        var response = renderer.page("login", title: "sign_in", language: language, context: context,
                                     content: SignInView(loginCSRF: token, error: error.map { language.strings[$0] ?? $0 }),
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
        let wait = await throttle.wait(name: form.name, address: context.clientAddress, now: now)
        guard wait == 0 else {
            context.logger.notice("sign-in refused: too many failures", metadata: [
                "user": "\(form.name.prefix(User.nameLengthMax))", "address": "\(context.clientAddress)", "wait_seconds": "\(wait)"])
            let words = UILanguage.of(request).strings
            var response = try loginPage(request, context: context, error: "\(words["too_many"] ?? "") \(wait) \(words["seconds_later"] ?? "")",
                                         status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        guard let principal = try await Users(storage: storage, caller: .commandLine).authenticate(name: form.name, password: form.password) else {
            await throttle.failed(name: form.name, address: context.clientAddress, now: now)
            context.logger.notice("sign-in failed", metadata: ["user": "\(form.name.prefix(User.nameLengthMax))",
                                                              "address": "\(context.clientAddress)"])
            return try loginPage(request, context: context, error: "bad_login", status: .unauthorized)
        }
        await throttle.succeeded(name: form.name)
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
        let language = UILanguage.of(request)
        let top = report.rows.filter { $0.overdue.isPositive }.sorted { $0.overdue.minorUnits > $1.overdue.minorUnits }.prefix(10)
        let view = DashboardView(
            asOf: report.asOf.description, receivables: Display.money(report.totalOpen), overdue: Display.money(report.totalOverdue),
            advances: Display.money(report.totalUnapplied), balance: Display.money(report.totalBalance),
            chart: AgingChart.svg(labels: Self.bucketLabels(report.buckets, language), amounts: report.totalBuckets),
            dso: figures.dsoTenths.map { "\($0 / 10).\($0 % 10)" } ?? "–",
            top: top.map { .init(code: $0.code.rawValue, name: $0.name, overdue: Display.money($0.overdue)) },
            receipts: figures.recentReceipts.map { code, name, receipt in
                .init(code: code.rawValue, name: name, reference: receipt.reference.rawValue, date: receipt.day.description,
                      amount: Display.money(receipt.amount))
            })
        return renderer.page("dashboard", title: "dashboard", language: language, context: context, content: view)
    }

    /// The labels of the aging buckets in the page's language ("current" is 未到期 in Chinese).
    static func bucketLabels(_ buckets: AgingBuckets, _ language: UILanguage) -> [String] {
        buckets.labels.map { $0 == "current" ? (language.strings["current"] ?? $0) : $0 }
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
        let language = UILanguage.of(request)
        let borders = options.buckets.borders.map(String.init).joined(separator: ",")
        let cellQuery = "as_of=\(report.asOf)&basis=\(options.basis.rawValue)&buckets=\(borders)"
        let view = AgingView(
            asOf: report.asOf.description, basisDue: options.basis == .due, basisInvoice: options.basis == .invoice, buckets: borders,
            labels: Self.bucketLabels(report.buckets, language),
            rows: report.rows.map { row in
                .init(code: row.code.rawValue, name: row.name,
                      cells: row.buckets.enumerated().map { index, amount in
                          .init(amount: Display.money(amount), bucket: index, code: row.code.rawValue, nonzero: !amount.isZero)
                      },
                      unapplied: Display.money(row.unapplied), balance: Display.money(row.balance))
            },
            totals: report.totalBuckets.map(Display.money), totalUnapplied: Display.money(report.totalUnapplied),
            totalBalance: Display.money(report.totalBalance), empty: report.rows.isEmpty,
            csvQuery: cellQuery + "&format=csv", cellQuery: cellQuery)
        return renderer.page("aging", title: "aging", language: language, context: context, content: view)
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
        let language = UILanguage.of(request)
        let view = AgingCellView(
            code: code, name: customer.customer.name, asOf: options.asOf.description,
            label: Self.bucketLabels(options.buckets, language)[bucket],
            items: items.map { number, item in
                .init(number: number.rawValue, issue: item.issue.description, due: item.due.description,
                      amount: Display.money(item.amount), open: Display.money(item.open))
            },
            total: Display.money(try Money.total(items.map(\.item.open), in: customer.customer.currency)))
        return renderer.page("aging_cell", title: "aging", language: language, context: context, content: view)
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
        let view = CustomersView(
            q: search, total: total,
            rows: rows.map { row in
                .init(code: row.summary.code.rawValue, name: row.summary.name, balance: Display.money(row.balance),
                      overdue: Display.money(row.overdue),
                      limit: row.summary.creditLimit.isPositive ? Display.money(row.summary.creditLimit) : "–",
                      used: row.limitUsedPercent.map { "\($0)%" } ?? "–", overLimit: (row.limitUsedPercent ?? 0) > 100)
            },
            sorts: Reports.CustomerSort.allCases.map {
                .init(value: $0.rawValue, label: language.strings["sort_\($0.rawValue)"] ?? $0.rawValue, selected: $0 == sort)
            },
            next: (page + 1) * Limits.pageSizeDefault < total ? link(page + 1) : nil,
            previous: page > 0 ? link(page - 1) : nil)
        return renderer.page("customers", title: "customers", language: language, context: context, content: view)
    }

    @Sendable func customer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = Customer.Code(try context.parameters.require("code"))
        let day = today()
        let ledgerFrom = day.advanced(by: -90)
        let file = try await Reports(storage: storage, caller: caller).customerFile(code, today: day, ledgerFrom: ledgerFrom)
        let customer = file.customer.customer
        let zero = Money.zero(customer.currency)
        let language = UILanguage.of(request)
        let view = CustomerView(
            code: customer.code.rawValue, name: customer.name, currency: customer.currency.code, terms: customer.terms.description,
            openCount: file.openInvoiceCount, openShown: file.openInvoices.count, openMore: file.openInvoiceCount > file.openInvoices.count,
            creditCount: file.unappliedCount, creditShown: file.unappliedCredits.count,
            creditMore: file.unappliedCount > file.unappliedCredits.count, ledgerAsked: ledgerFrom.description,
            limit: Display.money(customer.creditLimit), category: customer.category, email: customer.email, phone: customer.phone,
            labels: Self.bucketLabels(file.buckets, language),
            cells: (file.aging?.buckets ?? Array(repeating: zero, count: file.buckets.labels.count)).map(Display.money),
            balance: Display.money(file.aging?.balance ?? zero), unapplied: Display.money(file.aging?.unapplied ?? zero),
            invoices: file.openInvoices.map {
                .init(number: $0.number.rawValue, issue: $0.issue.description, due: $0.due.description, amount: Display.money($0.amount),
                      open: Display.money($0.open), overdue: $0.isOverdue(asOf: day))
            },
            credits: file.unappliedCredits.map {
                .init(reference: $0.reference.rawValue, kind: $0.kind.rawValue, date: $0.day.description, amount: Display.money($0.amount),
                      unapplied: Display.money($0.unapplied))
            },
            ledgerFrom: file.ledger.from?.description ?? "", opening: Display.money(file.ledger.opening),
            closing: Display.money(file.ledger.closing),
            lines: file.ledger.lines.map {
                .init(day: $0.day.description, document: $0.document, kind: $0.kind.rawValue, debit: Display.moneyUnlessZero($0.debit),
                      credit: Display.moneyUnlessZero($0.credit), balance: Display.money($0.balance))
            },
            ledgerEarlier: file.ledgerLinesNotShown > 0 ? file.ledgerLinesNotShown : nil,
            timeline: try await timeline(customer.code, caller: caller, language: language),
            canChase: caller.principal.role.allows(.chase))
        return renderer.page("customer", title: customer.name, language: language, context: context, content: view)
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
        let view = AuditView(
            records: records.map {
                .init(id: $0.id ?? 0, at: $0.at, actor: $0.actor, action: $0.action, entity: $0.entity, key: $0.key,
                      before: $0.before ?? "", after: $0.after ?? "")
            },
            older: records.count == Limits.pageSizeDefault ? records.last?.id.map { "/audit?before=\($0)" } : nil)
        return renderer.page("audit", title: "audit", language: UILanguage.of(request), context: context, content: view)
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
