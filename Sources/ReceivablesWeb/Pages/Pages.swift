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
        let script = Self.appScript
        router.get("static/app.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: script)))
        }
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
        Route(.get, "lookup/customers", .readBook, Pages.lookupCustomers),
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
    ] + collectionsRoutes + receiptRoutes + dunningRoutes + customerRoutes + importRoutes + settingsRoutes

    // MARK: signing in and out

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try loginPage(request, context: context, error: nil)
    }

    private func loginPage(_ request: Request, context: AppRequestContext, error: String?,
                           status: HTTPResponse.Status = .ok) throws -> Response {
        let token = Sessions.randomToken()
        let language = UILanguage.of(request)
        var response = renderer.page("login", title: "sign_in", request: request, context: context,
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
        var response = Response(status: .seeOther, headers: [.location: Self.returnPath(request.uri.queryParameters.get("back"))])
        response.setCookie(Cookie(name: UILanguage.cookie, value: language.rawValue, maxAge: 365 * 86_400, path: "/",
                                  secure: cookies.on(request).secure, httpOnly: true, sameSite: .lax))
        return response
    }

    /// Where the language switch returns: a path of this application, or its home. Never another site
    /// (`//evil.example`, `https://…`, a backslash some browsers read as a slash).
    static func returnPath(_ back: String?) -> String {
        guard let back, back.hasPrefix("/"), !back.hasPrefix("//"), !back.contains("\\"), back.count <= 1000,
              back.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }),
              let encoded = back.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed) else { return "/" }
        return encoded
    }

    /// The pages' one script: it makes customer fields offer matches as one types (they work without it).
    static let appScript: String = {
        guard let url = Renderer.templatesFolder()?.appendingPathComponent("app.js"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()

    /// Customers matching what was typed into a customer field, as JSON: [{"code", "name"}].
    @Sendable func lookupCustomers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = String((request.uri.queryParameters.get("q") ?? "").prefix(200))
        let rows = try await Reports(storage: storage, caller: try context.requireCaller()).lookupCustomers(text)
        return Response.json(.array(rows.map { .object([("code", .string($0.code.rawValue)), ("name", .string($0.name))]) }))
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
            top: top.map { .init(code: $0.code.rawValue, link: Self.pathPart($0.code.rawValue), name: $0.name, overdue: Display.money($0.overdue)) },
            receipts: figures.recentReceipts.map { code, name, receipt in
                .init(code: code.rawValue, link: Self.pathPart(code.rawValue), name: name, reference: receipt.reference.rawValue,
                      referenceLink: Self.pathPart(receipt.reference.rawValue), date: receipt.day.description, amount: Display.money(receipt.amount))
            })
        return renderer.page("dashboard", title: "dashboard", request: request, context: context, content: view)
    }

    /// The labels of the aging buckets in the page's language ("current" is 未到期 in Chinese).
    static func bucketLabels(_ buckets: AgingBuckets, _ language: UILanguage) -> [String] {
        buckets.labels.map { $0 == "current" ? (language.strings["current"] ?? $0) : $0 }
    }

    /// Customers listed on one page of the aging report (its totals are of every customer).
    static let agingRowsShown = 50

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
                            body: .init(byteBuffer: ByteBuffer(string: CSVWriter.byteOrderMark
                                                                    + AgingFormats.csv(report, label: Words(UILanguage.of(request)).csvLabel))))
        }
        let language = UILanguage.of(request)
        let borders = options.buckets.borders.map(String.init).joined(separator: ",")
        let cellQuery = "as_of=\(report.asOf)&basis=\(options.basis.rawValue)&buckets=\(borders)"
        let labels = Self.bucketLabels(report.buckets, language)
        // A column's drill: the customers with something in that bucket, largest first.
        if let bucket = query.get("bucket").flatMap({ Int($0) }) {
            guard labels.indices.contains(bucket) else { throw BookError.invalid(field: "bucket", reason: "0 to \(labels.count - 1)") }
            let rows = report.rows.filter { !$0.buckets[bucket].isZero }.sorted { $0.buckets[bucket].minorUnits > $1.buckets[bucket].minorUnits }
            let view = AgingBucketView(asOf: report.asOf.description, label: labels[bucket], total: Display.money(report.totalBuckets[bucket]),
                                       rows: rows.map { .init(code: $0.code.rawValue, link: Self.pathPart($0.code.rawValue), name: $0.name,
                                                              amount: Display.money($0.buckets[bucket]), bucket: bucket) },
                                       cellQuery: cellQuery)
            return renderer.page("aging_bucket", title: "aging", request: request, context: context, content: view)
        }
        let pages = max(1, (report.rows.count + Self.agingRowsShown - 1) / Self.agingRowsShown)
        let page = min(pages - 1, max(0, query.get("page").flatMap { Int($0) } ?? 0))
        let link = { (page: Int) in "/aging?\(cellQuery)&page=\(page)" }
        let view = AgingView(
            asOf: report.asOf.description, basisDue: options.basis == .due, basisInvoice: options.basis == .invoice, buckets: borders,
            labels: labels,
            rows: report.rows.dropFirst(page * Self.agingRowsShown).prefix(Self.agingRowsShown).map { row in
                .init(code: row.code.rawValue, link: Self.pathPart(row.code.rawValue), name: row.name,
                      cells: row.buckets.enumerated().map { index, amount in
                          .init(amount: Display.money(amount), bucket: index, code: Self.pathPart(row.code.rawValue), nonzero: !amount.isZero)
                      },
                      unapplied: Display.money(row.unapplied), balance: Display.money(row.balance))
            },
            totals: report.totalBuckets.enumerated().map { .init(amount: Display.money($1), bucket: $0, code: "", nonzero: !$1.isZero) },
            totalUnapplied: Display.money(report.totalUnapplied),
            totalBalance: Display.money(report.totalBalance), empty: report.rows.isEmpty,
            csvQuery: cellQuery + "&format=csv", cellQuery: cellQuery, customers: report.rows.count,
            pageNumber: page + 1, pages: pages, next: page + 1 < pages ? link(page + 1) : nil, previous: page > 0 ? link(page - 1) : nil)
        return renderer.page("aging", title: "aging", request: request, context: context, content: view)
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
            code: code, link: Self.pathPart(code), name: customer.customer.name, asOf: options.asOf.description,
            label: Self.bucketLabels(options.buckets, language)[bucket],
            items: items.map { number, item in
                let late = item.due.distance(to: options.asOf)
                return .init(number: number.rawValue, link: Self.pathPart(number.rawValue), issue: item.issue.description, due: item.due.description,
                             daysOverdue: late > 0 ? String(late) : "", amount: Display.money(item.amount), open: Display.money(item.open))
            },
            total: Display.money(try Money.total(items.map(\.item.open), in: customer.customer.currency)))
        return renderer.page("aging_cell", title: "aging", request: request, context: context, content: view)
    }

    @Sendable func customers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let search = String((query.get("q") ?? "").prefix(100))
        let sort = query.get("sort").flatMap(Reports.CustomerSort.init(rawValue:)) ?? .code
        let page = max(0, query.get("page").flatMap { Int($0) } ?? 0)
        let (rows, total, balance, overdue) = try await Reports(storage: storage, caller: caller)
            .standings(asOf: today(), search: search, sort: sort, page: page, pageSize: Limits.pageSizeDefault)
        let language = UILanguage.of(request)
        let link = { (page: Int) in "/customers?q=\(search.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")&sort=\(sort.rawValue)&page=\(page)" }
        let view = CustomersView(
            q: search, total: total, totalBalance: Display.money(balance), totalOverdue: Display.money(overdue),
            rows: rows.map { row in
                .init(code: row.summary.code.rawValue, name: row.summary.name, balance: Display.money(row.balance),
                      overdue: Display.money(row.overdue),
                      limit: row.summary.creditLimit.isPositive ? Display.money(row.summary.creditLimit) : "–",
                      used: row.limitUsedPercent.map { "\($0)%" } ?? "–", overLimit: (row.limitUsedPercent ?? 0) > 100)
            },
            sorts: Reports.CustomerSort.allCases.map {
                .init(value: $0.rawValue, label: language.strings["sort_\($0.rawValue)"] ?? $0.rawValue, selected: $0 == sort)
            },
            canWrite: caller.principal.role.allows(.writeBook),
            next: (page + 1) * Limits.pageSizeDefault < total ? link(page + 1) : nil,
            previous: page > 0 ? link(page - 1) : nil)
        return renderer.page("customers", title: "customers", request: request, context: context, content: view)
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
                        body: .init(byteBuffer: ByteBuffer(string: CSVWriter.byteOrderMark
                                                                    + LedgerFormats.csv(ledger, label: Words(UILanguage.of(request)).csvLabel))))
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }
        let records = try await AuditTrail(storage: storage, caller: caller).records(limit: Limits.pageSizeDefault, before: before)
        let words = Words(UILanguage.of(request))
        let view = AuditView(
            records: records.map {
                .init(id: $0.id ?? 0, at: Display.time($0.at), actor: words.owner($0.actor), action: words.auditAction($0.action),
                      entity: words.entity($0.entity), key: $0.key, changes: AuditChanges.lines(before: $0.before, after: $0.after, words: words))
            },
            older: records.count == Limits.pageSizeDefault ? records.last?.id.map { "/audit?before=\($0)" } : nil)
        return renderer.page("audit", title: "audit", request: request, context: context, content: view)
    }

    // MARK: forms

    static func form<T: Decodable>(_ type: T.Type, from request: inout Request) async throws -> T {
        try await post(type, from: &request).form
    }

    /// A form post: the typed form, and its fields as they were typed (to show them again).
    static func post<T: Decodable>(_ type: T.Type, from request: inout Request) async throws -> (form: T, values: [String: String]) {
        let body = String(buffer: try await request.collectBody(upTo: Limits.requestBytesMax))
        do {
            return (try URLEncodedFormDecoder().decode(T.self, from: body), FormBody.fields(body))
        } catch {
            throw Problem(status: .badRequest, title: "Malformed form", detail: "the form is missing a field")
        }
    }

    /// Runs `change`; when a rule refuses what the form said, answers `again` (the form's page shown
    /// again with `FormState`) with 422 instead of an error page. Other errors pass on.
    static func refusedAgain(_ name: String, values: [String: String], fields: Set<String>, request: Request,
                             change: () async throws -> Response,
                             again: (FormState) async throws -> Response) async throws -> Response {
        do {
            return try await change()
        } catch where FormState.isFormError(error) {
            return try await again(FormState(name, values: values, error: error, fields: fields, words: Words(UILanguage.of(request))))
        }
    }

}
