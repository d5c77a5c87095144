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
        let words = Words(UILanguage.of(request))
        let view = WorklistView(asOf: day.description, rows: rows.map { row in
            .init(code: row.code.rawValue, link: Self.pathPart(row.code.rawValue), name: row.name, overdue: Display.money(row.overdue),
                  days: row.daysOverdue, onHold: row.onHold,
                  reasons: row.reasons.map { words["reason_\($0.rawValue)", or: $0.rawValue] },
                  urgent: row.reasons.contains(.brokenPromise), next: row.nextAction.map { "\($0.day) \($0.action)" })
        })
        return renderer.page("worklist", title: "worklist", request: request, context: context, content: view)
    }

    @Sendable func outbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let status = query.get("status").flatMap { OutboxStatus(rawValue: String($0)) }
        let before = query.get("before").flatMap { Int64($0) }.map(StoredOutboxMessage.ID.init)
        let messages = try await Outbox(storage: storage, caller: caller).messages(status: status, limit: Limits.pageSizeDefault, before: before)
        let words = Words(UILanguage.of(request))
        let statusName = { (status: OutboxStatus) in words["status_\(status.rawValue)", or: status.rawValue] }
        let view = OutboxView(
            messages: messages.map { stored in
                .init(id: stored.id.rawValue, status: statusName(stored.status), failed: stored.status == .failed,
                      channel: words.channel(stored.message.channel), recipient: stored.message.recipient, subject: stored.message.subject,
                      attempts: stored.attempts, error: stored.lastError ?? "", created: Display.time(stored.createdAt))
            },
            filters: ([nil] + OutboxStatus.allCases.map(Optional.some)).map { option in
                .init(value: option?.rawValue ?? "", label: option.map(statusName) ?? words["all", or: "All"], selected: option == status)
            },
            older: messages.count == Limits.pageSizeDefault
                ? messages.last.map { "/outbox?before=\($0.id)" + (status.map { "&status=\($0.rawValue)" } ?? "") } : nil)
        return renderer.page("outbox", title: "outbox", request: request, context: context, content: view)
    }

    @Sendable func outboxMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let stored = try await Outbox(storage: storage, caller: caller).message(try context.pathID())
        let words = Words(UILanguage.of(request))
        let view = OutboxMessageView(
            id: stored.id.rawValue, status: words["status_\(stored.status.rawValue)", or: stored.status.rawValue],
            channel: words.channel(stored.message.channel), recipient: stored.message.recipient, subject: stored.message.subject,
            body: stored.message.body, attempts: stored.attempts, language: words["letter_language_\(stored.message.language)", or: stored.message.language],
            canResend: caller.principal.role.allows(.chase), isLetter: stored.message.channel == .letter,
            error: stored.lastError, sent: stored.sentAt.map { Display.time($0) })
        return renderer.page("outbox_message", title: "outbox", request: request, context: context, content: view)
    }

    /// The message as a printable letter (A4, print CSS).
    @Sendable func outboxLetter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let stored = try await Outbox(storage: storage, caller: caller).message(try context.pathID())
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                               .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'"],
                        body: .init(byteBuffer: ByteBuffer(string: OutboxLetter.html(stored, company: try await CompanySettings(storage: storage, caller: caller).profile()))))
    }

    /// A notice's fee and interest (charged as one fee invoice, so within one document's limit).
    static func charges(_ notice: NoticeRecord) -> Money {
        (try? notice.fee.adding(notice.interest)) ?? Money(minorUnits: .max, currency: notice.fee.currency)
    }

    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id: StoredOutboxMessage.ID = try context.pathID()
        try await Outbox(storage: storage, caller: caller).resend(id)
        return Self.back(to: "/outbox/\(id)")
    }

    @Sendable func disputes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await disputesPage(request, context: context, form: nil)
    }

    func disputesPage(_ request: Request, context: AppRequestContext, form: FormState?) async throws -> Response {
        let caller = try context.requireCaller()
        let day = today()
        let all = request.uri.queryParameters.get("all") == "1"
        let disputes = try await Collections(storage: storage, caller: caller).disputesWithCustomers(status: all ? nil : .open)
        let words = Words(UILanguage.of(request))
        let view = DisputesView(
            all: all, today: day.description, canResolve: caller.principal.role.allows(.writeBook), canReject: caller.principal.role.allows(.chase),
            disputes: disputes.map { dispute, customer in
                .init(id: dispute.id.rawValue, code: customer.code.rawValue, link: Self.pathPart(customer.code.rawValue), name: customer.name,
                      invoice: dispute.invoice.rawValue, invoiceLink: Self.pathPart(dispute.invoice.rawValue), amount: Display.money(dispute.amount),
                      reason: dispute.reason, opened: dispute.opened.description, age: dispute.opened.distance(to: dispute.closed ?? day),
                      owner: words.owner(dispute.owner), status: words["dispute_\(dispute.status.rawValue)", or: dispute.status.rawValue],
                      open: dispute.status == .open, resolution: dispute.resolution)
            })
        return renderer.page("disputes", title: "disputes", request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }

    struct CloseDisputeForm: Decodable {
        let resolution: String
        let credit_note: String?
        let amount: String?
        /// "resolve" (with a credit note) or "reject".
        let action: String?
    }

    @Sendable func closeDispute(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id: DisputeRecord.ID = try context.pathID()
        var request = request
        let (form, values) = try await Self.post(CloseDisputeForm.self, from: &request)
        let creditNote = form.credit_note.flatMap { $0.trimmed.isEmpty ? nil : DocumentNumber($0.trimmed) }
        let amount = form.amount.flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
        // Two buttons, two actions: resolve (with a credit note, if one is named) or reject.
        let resolving = form.action == "resolve"
        return try await Self.refusedAgain("close", values: values, fields: [], request: request) {
            try await Collections(storage: storage, caller: caller).closeDispute(id, resolved: resolving, creditNote: resolving ? creditNote : nil,
                                                                                 amount: resolving ? amount : nil, day: today(), resolution: form.resolution)
            return Self.back(to: "/disputes?done=dispute_closed&ref=\(id)")
        } again: { state in
            try await disputesPage(request, context: context, form: state)
        }
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
        let (form, values) = try await Self.post(ActivityForm.self, from: &request)
        return try await Self.refusedAgain("activity", values: values, fields: ["kind", "outcome", "invoice", "next_action_day", "next_action"],
                                           request: request) {
            let kind = try ActivityKind.named(form.kind)
            let next = try form.next_action_day.flatMap { $0.isEmpty ? nil : try Field.day($0, "next_action_day") }
            _ = try await Collections(storage: storage, caller: caller).recordActivity(
                customer: Customer.Code(code), invoice: form.invoice.flatMap { $0.trimmed.isEmpty ? nil : DocumentNumber($0.trimmed) },
                kind: kind, day: today(), outcome: form.outcome, nextActionDay: next, nextAction: form.next_action ?? "")
            return Self.back(to: "/customers/\(Self.pathPart(code))?done=activity#timeline")
        } again: { state in
            try await customerPage(request, context: context, code: Customer.Code(code), form: state)
        }
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
        let (form, values) = try await Self.post(PromiseForm.self, from: &request)
        return try await Self.refusedAgain("promise", values: values, fields: ["amount", "due", "invoice", "note"], request: request) {
            _ = try await Collections(storage: storage, caller: caller).promise(
                customer: Customer.Code(code), invoice: form.invoice.flatMap { $0.trimmed.isEmpty ? nil : DocumentNumber($0.trimmed) },
                amount: form.amount, made: today(), due: try Field.day(form.due, "due"), note: form.note ?? "")
            return Self.back(to: "/customers/\(Self.pathPart(code))?done=promise#timeline")
        } again: { state in
            try await customerPage(request, context: context, code: Customer.Code(code), form: state)
        }
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
        let (form, values) = try await Self.post(DisputeForm.self, from: &request)
        return try await Self.refusedAgain("dispute", values: values, fields: ["invoice", "amount", "reason"], request: request) {
            _ = try await Collections(storage: storage, caller: caller).openDispute(
                invoice: DocumentNumber(form.invoice.trimmed), amount: form.amount.flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed },
                reason: form.reason, day: today())
            return Self.back(to: "/customers/\(Self.pathPart(code))?done=dispute#timeline")
        } again: { state in
            try await customerPage(request, context: context, code: Customer.Code(code), form: state)
        }
    }

    /// The customer's collections timeline as the customer page shows it.
    func timeline(_ code: Customer.Code, caller: Caller, language: UILanguage) async throws -> [CustomerView.TimelineEntry] {
        let day = today()
        let words = Words(language).table
        let owner = Words(language).owner
        let level = Words(language).level
        return try await Collections(storage: storage, caller: caller).timeline(customer: code, asOf: day, limit: 100).map { entry in
            switch entry {
            case .activity(let a):
                var text = a.outcome
                if let next = a.nextActionDay { text += " → \(next) \(a.nextAction)" }
                return .init(day: a.day.description, what: words["kind_\(a.kind.rawValue)"] ?? a.kind.rawValue, who: owner(a.actor),
                             text: text, invoice: a.invoice?.rawValue ?? "")
            case .notice(let n):
                let charges = Self.charges(n)
                return .init(day: n.day.description, what: "\(words["dunning_notice"] ?? "Dunning") \(n.level)",
                             who: n.policy == "default" ? (words["policy_default"] ?? n.policy) : n.policy,
                             text: "\(level(n.levelName)): \(Display.money(n.chased))" + (charges.isPositive ? " + \(Display.money(charges))" : ""),
                             invoice: "")
            case .promise(let p):
                return .init(day: p.made.description, what: words["promise"] ?? "Promise", who: owner(p.recordedBy),
                             text: "\(Display.money(p.amount)) → \(p.due) (\(words["promise_\(p.promise.status(asOf: day).rawValue)"] ?? ""))",
                             invoice: p.invoice?.rawValue ?? "")
            case .dispute(let d):
                return .init(day: d.opened.description, what: words["dispute"] ?? "Dispute", who: owner(d.owner),
                             text: "\(Display.money(d.amount)) \(d.reason) (\(words["dispute_\(d.status.rawValue)"] ?? d.status.rawValue))",
                             invoice: d.invoice.rawValue)
            }
        }
    }
}
