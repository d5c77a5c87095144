import BookFormats
import Bookkeeping
import Foundation
import Hummingbird
import Receivables
import RequestInput

/// Collections in the pages: the collector's worklist, the outbox with preview and resend, disputes,
/// and the forms on the customer page (activity, promise, dispute).
extension Pages {
    static let collectionsRoutes: [Route<Pages>] = [
        Route(.get, "worklist", .readBook, Pages.worklist), Route(.get, "outbox", .readBook, Pages.outbox),
        Route(.get, "outbox/{id}", .readBook, Pages.outboxMessage), Route(.get, "outbox/{id}/letter", .readBook, Pages.outboxLetter),
        Route(.post, "outbox/{id}/resend", .chase, Pages.resend), Route(.get, "disputes", .readBook, Pages.disputes),
        // Rejecting is chasing; resolving with a credit note needs writing the book, which the use case checks.
        Route(.post, "disputes/{id}/close", .chase, Pages.closeDispute),
        Route(.post, "customers/{code}/activities", .chase, Pages.recordActivity),
        Route(.post, "customers/{code}/promises", .chase, Pages.recordPromise), Route(.post, "customers/{code}/disputes", .chase, Pages.openDispute),
    ]

    @Sendable func worklist(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let day = today()
        let rows = try await Collections(storage: storage, caller: caller).worklist(asOf: day)
        let language = UILanguage.of(request)
        let view = WorklistView(asOf: day.description, rows: rows.map { row in
            .init(code: row.code.rawValue, name: row.name, overdue: Display.money(row.overdue), days: row.daysOverdue, onHold: row.onHold,
                  reasons: row.reasons.map { language.strings["reason_\($0.rawValue)"] ?? $0.rawValue },
                  urgent: row.reasons.contains(.brokenPromise), next: row.nextAction.map { "\($0.day) \($0.action)" })
        })
        return renderer.page("worklist", title: "worklist", language: language, context: context, content: view)
    }

    @Sendable func outbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let status = query.get("status").flatMap { OutboxStatus(rawValue: String($0)) }
        let before = query.get("before").flatMap { Int64($0) }.map(StoredOutboxMessage.ID.init)
        let messages = try await Outbox(storage: storage, caller: caller).messages(status: status, limit: Limits.pageSizeDefault, before: before)
        let language = UILanguage.of(request)
        let statusName = { (status: OutboxStatus) in language.strings["status_\(status.rawValue)"] ?? status.rawValue }
        let view = OutboxView(
            messages: messages.map { stored in
                .init(id: stored.id.rawValue, status: statusName(stored.status), failed: stored.status == .failed,
                      channel: stored.message.channel.rawValue, recipient: stored.message.recipient, subject: stored.message.subject,
                      attempts: stored.attempts, error: stored.lastError ?? "", created: stored.createdAt)
            },
            filters: ([nil] + OutboxStatus.allCases.map(Optional.some)).map { option in
                .init(value: option?.rawValue ?? "", label: option.map(statusName) ?? (language.strings["all"] ?? "All"), selected: option == status)
            },
            older: messages.count == Limits.pageSizeDefault
                ? messages.last.map { "/outbox?before=\($0.id)" + (status.map { "&status=\($0.rawValue)" } ?? "") } : nil)
        return renderer.page("outbox", title: "outbox", language: language, context: context, content: view)
    }

    @Sendable func outboxMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let stored = try await Outbox(storage: storage, caller: caller).message(try Self.id(context))
        let language = UILanguage.of(request)
        let view = OutboxMessageView(
            id: stored.id.rawValue, status: language.strings["status_\(stored.status.rawValue)"] ?? stored.status.rawValue,
            channel: stored.message.channel.rawValue, recipient: stored.message.recipient, subject: stored.message.subject,
            body: stored.message.body, attempts: stored.attempts, language: stored.message.language,
            canResend: caller.principal.role.allows(.chase), isLetter: stored.message.channel == .letter,
            error: stored.lastError, sent: stored.sentAt)
        return renderer.page("outbox_message", title: "outbox", language: language, context: context, content: view)
    }

    /// The row id in the path (`:id`), as the kind of id the route names.
    static func id<Subject>(_ context: AppRequestContext) throws -> Identifier<Subject> {
        Identifier(try context.parameters.require("id", as: Int64.self))
    }

    /// The message as a printable letter (A4, print CSS).
    @Sendable func outboxLetter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let stored = try await Outbox(storage: storage, caller: caller).message(try Self.id(context))
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                               .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'"],
                        body: .init(byteBuffer: ByteBuffer(string: OutboxLetter.html(stored))))
    }

    /// A notice's fee and interest (charged as one fee invoice, so within one document's limit).
    static func charges(_ notice: NoticeRecord) -> Money {
        (try? notice.fee.adding(notice.interest)) ?? Money(minorUnits: .max, currency: notice.fee.currency)
    }

    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id: StoredOutboxMessage.ID = try Self.id(context)
        try await Outbox(storage: storage, caller: caller).resend(id)
        return Self.back(to: "/outbox/\(id)")
    }

    @Sendable func disputes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let day = today()
        let all = request.uri.queryParameters.get("all") == "1"
        let disputes = try await Collections(storage: storage, caller: caller).disputes(status: all ? nil : .open)
        let language = UILanguage.of(request)
        let view = DisputesView(
            all: all, today: day.description, canResolve: caller.principal.role.allows(.writeBook), canReject: caller.principal.role.allows(.chase),
            disputes: disputes.map { dispute in
                .init(id: dispute.id.rawValue, invoice: dispute.invoice.rawValue, amount: Display.money(dispute.amount), reason: dispute.reason,
                      opened: dispute.opened.description, age: dispute.opened.distance(to: dispute.closed ?? day), owner: dispute.owner,
                      status: language.strings["dispute_\(dispute.status.rawValue)"] ?? dispute.status.rawValue, open: dispute.status == .open,
                      resolution: dispute.resolution)
            })
        return renderer.page("disputes", title: "disputes", language: language, context: context, content: view)
    }

    struct CloseDisputeForm: Decodable {
        let resolution: String
        let credit_note: String?
        let amount: String?
    }

    @Sendable func closeDispute(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id: DisputeRecord.ID = try Self.id(context)
        var request = request
        let form = try await Self.form(CloseDisputeForm.self, from: &request)
        let creditNote = form.credit_note.flatMap { $0.trimmed.isEmpty ? nil : DocumentNumber($0.trimmed) }
        let amount = form.amount.flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
        try await Collections(storage: storage, caller: caller).closeDispute(id, resolved: creditNote != nil, creditNote: creditNote, amount: amount,
                                                                             day: today(), resolution: form.resolution)
        return Self.back(to: "/disputes")
    }

    struct ActivityForm: Decodable {
        let kind: String
        let outcome: String
        let invoice: String?
        let next_action_day: String?
        let next_action: String?
    }

    @Sendable func recordActivity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("code")
        var request = request
        let form = try await Self.form(ActivityForm.self, from: &request)
        let kind = try ActivityKind.named(form.kind)
        let next = try form.next_action_day.flatMap { $0.isEmpty ? nil : try Field.day($0, "next_action_day") }
        _ = try await Collections(storage: storage, caller: caller).recordActivity(
            customer: Customer.Code(code), invoice: form.invoice.flatMap { $0.trimmed.isEmpty ? nil : DocumentNumber($0.trimmed) },
            kind: kind, day: today(), outcome: form.outcome, nextActionDay: next, nextAction: form.next_action ?? "")
        return Self.back(to: "/customers/\(code)#timeline")
    }

    struct PromiseForm: Decodable {
        let amount: String
        let due: String
        let invoice: String?
        let note: String?
    }

    @Sendable func recordPromise(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("code")
        var request = request
        let form = try await Self.form(PromiseForm.self, from: &request)
        _ = try await Collections(storage: storage, caller: caller).promise(
            customer: Customer.Code(code), invoice: form.invoice.flatMap { $0.trimmed.isEmpty ? nil : DocumentNumber($0.trimmed) },
            amount: form.amount, made: today(), due: try Field.day(form.due, "due"), note: form.note ?? "")
        return Self.back(to: "/customers/\(code)#timeline")
    }

    struct DisputeForm: Decodable {
        let invoice: String
        let amount: String?
        let reason: String
    }

    @Sendable func openDispute(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("code")
        var request = request
        let form = try await Self.form(DisputeForm.self, from: &request)
        _ = try await Collections(storage: storage, caller: caller).openDispute(
            invoice: DocumentNumber(form.invoice.trimmed), amount: form.amount.flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed },
            reason: form.reason, day: today())
        return Self.back(to: "/customers/\(code)#timeline")
    }

    /// The customer's collections timeline as the customer page shows it.
    func timeline(_ code: Customer.Code, caller: Caller, language: UILanguage) async throws -> [CustomerView.TimelineEntry] {
        let day = today()
        let words = language.strings
        return try await Collections(storage: storage, caller: caller).timeline(customer: code, asOf: day, limit: 100).map { entry in
            switch entry {
            case .activity(let a):
                var text = a.outcome
                if let next = a.nextActionDay { text += " → \(next) \(a.nextAction)" }
                return .init(day: a.day.description, what: words["kind_\(a.kind.rawValue)"] ?? a.kind.rawValue, who: a.actor,
                             text: text, invoice: a.invoice?.rawValue ?? "")
            case .notice(let n):
                let charges = Self.charges(n)
                return .init(day: n.day.description, what: "\(words["dunning_notice"] ?? "Dunning") \(n.level)", who: n.policy,
                             text: "\(n.levelName): \(Display.money(n.chased))" + (charges.isPositive ? " + \(Display.money(charges))" : ""),
                             invoice: "")
            case .promise(let p):
                return .init(day: p.made.description, what: words["promise"] ?? "Promise", who: p.recordedBy,
                             text: "\(Display.money(p.amount)) → \(p.due) (\(words["promise_\(p.promise.status(asOf: day).rawValue)"] ?? ""))",
                             invoice: p.invoice?.rawValue ?? "")
            case .dispute(let d):
                return .init(day: d.opened.description, what: words["dispute"] ?? "Dispute", who: d.owner,
                             text: "\(Display.money(d.amount)) \(d.reason) (\(words["dispute_\(d.status.rawValue)"] ?? d.status.rawValue))",
                             invoice: d.invoice.rawValue)
            }
        }
    }
}
