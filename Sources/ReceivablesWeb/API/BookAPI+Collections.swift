import BookFormats
import Bookkeeping
import Hummingbird
import Interchange
import Receivables
import RequestInput

/// Collections over the API: the dunning plan, the worklist, and promises, activities and disputes
/// recorded by other systems (a call centre, the customer's own channel).
extension BookAPI {
    @Sendable func dunningPlan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let asOf = try request.uri.queryParameters.get("as_of").map { try Field.day(String($0), "as_of") } ?? today()
        let notices = try await Collections(storage: storage, caller: try context.requireCaller()).plan(asOf: asOf)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: DunningFormats.json(notices, asOf: asOf))))
    }

    @Sendable func worklist(_ request: Request, context: AppRequestContext) async throws -> Response {
        let asOf = try request.uri.queryParameters.get("as_of").map { try Field.day(String($0), "as_of") } ?? today()
        let rows = try await Collections(storage: storage, caller: try context.requireCaller()).worklist(asOf: asOf)
        return .json(.object([("as_of", .string(asOf.description)), ("customers", .array(rows.map { row in
            .object([
                ("code", .string(row.code.rawValue)), ("name", .string(row.name)),
                ("overdue", .string(row.overdue.decimalString)),
                ("days_overdue", .int(Int64(row.daysOverdue))), ("reasons", .array(row.reasons.map { .string($0.rawValue) })),
                ("next_action", row.nextAction.map { .object([("day", .string($0.day.description)), ("action", .string($0.action))]) } ?? .null),
                ("open_disputes", .int(Int64(row.openDisputes))), ("on_hold", .bool(row.onHold)),
            ])
        }))]))
    }

    @Sendable func recordPromise(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("code")
        let body = try await request.decode(as: PromiseBody.self, context: context)
        let id = try await Collections(storage: storage, caller: caller).promise(
            customer: Customer.Code(code), invoice: Self.number(body.invoice), amount: body.amount,
            made: try body.date.map { try Field.day($0, "date") } ?? today(), due: try Field.day(body.due, "due"), note: body.note ?? "")
        return .json(.object([("id", .id(id))]), status: .created)
    }

    @Sendable func recordActivity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("code")
        let body = try await request.decode(as: ActivityBody.self, context: context)
        let kind = try ActivityKind.named(body.kind)
        let id = try await Collections(storage: storage, caller: caller).recordActivity(
            customer: Customer.Code(code), invoice: Self.number(body.invoice), kind: kind,
            day: try body.date.map { try Field.day($0, "date") } ?? today(), outcome: body.outcome,
            nextActionDay: try body.next_action_day.flatMap { $0.isEmpty ? nil : try Field.day($0, "next_action_day") },
            nextAction: body.next_action ?? "")
        return .json(.object([("id", .id(id))]), status: .created)
    }

    @Sendable func openDispute(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let number = DocumentNumber(try context.parameters.require("number"))
        let body = try await request.decode(as: DisputeBody.self, context: context)
        let id = try await Collections(storage: storage, caller: caller).openDispute(
            invoice: number, amount: body.amount.flatMap { $0.isEmpty ? nil : $0 }, reason: body.reason,
            day: try body.date.map { try Field.day($0, "date") } ?? today())
        return .json(.object([("id", .id(id))]), status: .created)
    }

    static func number(_ text: String?) -> DocumentNumber? {
        text.flatMap { $0.isEmpty ? nil : DocumentNumber($0) }
    }
}
