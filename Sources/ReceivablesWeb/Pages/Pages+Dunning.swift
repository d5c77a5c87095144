import Bookkeeping
import Foundation
import Hummingbird
import Receivables
import RequestInput

/// The dunning page: the day's plan before it runs (who gets which message, what is charged, who is
/// put on hold), the run itself — or, where the plan waits for a manager's approval, why and the
/// approval — the customers on credit hold with their release, and the policies with their editor.
extension Pages {
    static let dunningRoutes: [Route<Pages>] = [
        Route(.get, "dunning", .readBook, Pages.dunning), Route(.post, "dunning/run", .runDunning, Pages.runDunning),
        Route(.post, "dunning/holds/{code}/release", .configureCollections, Pages.releaseHold),
        Route(.post, "dunning/policies", .configureCollections, Pages.savePolicy),
    ]

    /// At most this many customers of the plan are listed (its totals count them all).
    static let planRowsShown = 100

    @Sendable func dunning(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await dunningPage(request, context: context, form: nil)
    }

    func dunningPage(_ request: Request, context: AppRequestContext, form: FormState?) async throws -> Response {
        let caller = try context.requireCaller()
        let words = Words(UILanguage.of(request))
        let day = today()
        let collections = Collections(storage: storage, caller: caller)
        let preview = try await collections.preview(asOf: day)
        let role = caller.principal.role
        let currency = preview.notices.first?.currency ?? .cny
        let chased = preview.notices.reduce(Money.zero(currency)) { sum, entry in
            entry.currency == currency ? (try? sum.adding(entry.notice.chased)) ?? sum : sum
        }
        let charges = preview.notices.reduce(Money.zero(currency)) { sum, entry in
            entry.currency == currency ? (try? sum.adding(entry.notice.charges)) ?? sum : sum
        }
        let held = Set(preview.holds)
        let view = DunningView(
            day: day.description, lastRun: preview.lastRun?.description, alreadyRun: preview.alreadyRun,
            reasons: preview.reasons.map { words.gateReason($0) }, fingerprint: preview.fingerprint,
            canRun: role.allows(.runDunning) && !preview.alreadyRun && preview.reasons.isEmpty && !preview.notices.isEmpty,
            canApprove: role.allows(.configureCollections) && !preview.alreadyRun && !preview.reasons.isEmpty,
            waitsForManager: !preview.alreadyRun && !preview.reasons.isEmpty && !role.allows(.configureCollections),
            customers: preview.notices.count, chased: Display.money(chased), charges: Display.money(charges),
            newHolds: preview.holds.count, more: max(0, preview.notices.count - Self.planRowsShown),
            rows: preview.notices.prefix(Self.planRowsShown).map { entry in
                let notice = entry.notice
                var actions: [String] = notice.level.actions.map { words["action_\($0.rawValue)", or: $0.rawValue] }.sorted()
                if held.contains(entry.code) { actions.insert(words["on_hold", or: "on hold"], at: 0) }
                return .init(code: entry.code.rawValue, name: entry.name, level: "\(notice.level.number) \(words.level(notice.level.name))",
                             items: notice.lines.count, maxDays: notice.lines.map(\.daysPastDue).max() ?? 0,
                             chased: Display.money(notice.chased), charges: Display.moneyUnlessZero(notice.charges),
                             channels: notice.level.channels.map(words.channel).joined(separator: words.listSeparator),
                             actions: Set(actions).sorted().joined(separator: words.listSeparator))
            },
            holds: try await collections.holds().map { .init(code: $0.code.rawValue, name: $0.name, since: $0.since.description) },
            canRelease: role.allows(.configureCollections),
            policies: try await collections.policies().map { policy in
                .init(name: policy.builtIn ? words["policy_default", or: policy.name] : policy.name, builtIn: policy.builtIn, categories: policy.categories.joined(separator: ", "),
                      levels: policy.levels.map { "\($0.number) \(words.level($0.name)) (\($0.offsetDays >= 0 ? "+" : "")\($0.offsetDays))" }
                        .joined(separator: " → "),
                      definition: policy.definition)
            },
            canConfigure: role.allows(.configureCollections))
        return renderer.page("dunning", title: "dunning", request: request, context: context, content: view, form: form,
                             status: form == nil ? .ok : .unprocessableContent)
    }

    struct RunDunningForm: Decodable {
        let approve: String?
        let fingerprint: String?
    }

    @Sendable func runDunning(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let (form, values) = try await Self.post(RunDunningForm.self, from: &request)
        let approve = form.approve == "1"
        return try await Self.refusedAgain("run", values: values, fields: [], request: request) {
            let outcome = try await Collections(storage: storage, caller: caller)
                .run(asOf: today(), approve: approve, fingerprint: approve ? (form.fingerprint ?? "") : nil)
            guard outcome.awaitingApproval.isEmpty else { return Self.back(to: "/dunning") }
            return Self.back(to: "/dunning?done=\(approve ? "dunning_approved" : "dunning_run")")
        } again: { state in
            try await dunningPage(request, context: context, form: state)
        }
    }

    @Sendable func releaseHold(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("code")
        try await Collections(storage: storage, caller: caller).releaseHold(Customer.Code(code))
        return Self.back(to: "/dunning?done=hold_released&ref=\(Self.pathPart(code))#holds")
    }

    struct PolicyForm: Decodable {
        let definition: String
        let categories: String?
    }

    @Sendable func savePolicy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let (form, values) = try await Self.post(PolicyForm.self, from: &request)
        let categories = (form.categories ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0.isNewline })
            .map { String($0).trimmed }.filter { !$0.isEmpty }
        return try await Self.refusedAgain("policy", values: values, fields: ["definition", "categories"], request: request) {
            let policy = try await Collections(storage: storage, caller: caller).savePolicy(form.definition, categories: categories)
            return Self.back(to: "/dunning?done=policy_saved&ref=\(Self.pathPart(policy.name))#policies")
        } again: { state in
            try await dunningPage(request, context: context, form: state)
        }
    }
}

/// The dunning page.
struct DunningView {
    struct Row {
        let code: String
        let name: String
        let level: String
        let items: Int
        let maxDays: Int
        let chased: String
        let charges: String
        let channels: String
        let actions: String
    }

    struct Hold {
        let code: String
        let name: String
        let since: String
    }

    struct Policy {
        let name: String
        let builtIn: Bool
        let categories: String
        let levels: String
        let definition: String
    }

    let day: String
    let lastRun: String?
    let alreadyRun: Bool
    let reasons: [String]
    let fingerprint: String
    let canRun: Bool
    let canApprove: Bool
    let waitsForManager: Bool
    let customers: Int
    let chased: String
    let charges: String
    let newHolds: Int
    let more: Int
    let rows: [Row]
    let holds: [Hold]
    let canRelease: Bool
    let policies: [Policy]
    let canConfigure: Bool
}
