import Bookkeeping
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import Prometheus
import Receivables
import ReceivablesWeb
import TestBooks

/// A served book with an admin, an accountant, a collector (assigned K1) and an auditor, each with a token.
struct WebBook {
    let storage: any BookStorage
    var tokens: [Role: String] = [:]
    static let operatorCaller = Caller(principal: .commandLine, now: { "2026-11-22T00:00:00Z" })

    /// `displayNames`: the people behind the users, as the header greets them (none: their logins).
    init(settings: BookSettings = BookSettings(), displayNames: [Role: String] = [:]) async throws {
        storage = try Engine.default.makeStorage(settings: settings)
        let billing = Billing(storage: storage, caller: Self.operatorCaller)
        for code in ["K1", "K2"] {
            _ = try await billing.addCustomer(Customer(code: Customer.Code(code), name: "客户 \(code)"))
        }
        _ = try await billing.issueInvoice(InvoiceDraft(number: DocumentNumber("F1"), customer: Customer.Code("K1"),
                                                        issue: Day(year: 2026, month: 1, day: 10)!, amount: Money(minorUnits: 10_000, currency: .cny)))
        _ = try await billing.issueInvoice(InvoiceDraft(number: DocumentNumber("F2"), customer: Customer.Code("K2"),
                                                        issue: Day(year: 2026, month: 1, day: 10)!, amount: Money(minorUnits: 20_000, currency: .cny)))
        let users = Users(storage: storage, caller: Self.operatorCaller, cost: 4)
        let tokenMaker = Tokens(storage: storage, caller: Self.operatorCaller)
        for role in Role.allCases {
            _ = try await users.add(name: role.rawValue, displayName: displayNames[role] ?? "", password: "password for \(role.rawValue)", role: role)
            tokens[role] = try await tokenMaker.create(name: "test", user: role.rawValue).token
        }
        try await users.assign(customers: [Customer.Code("K1")], to: "collector")
    }

    func application(clock: @escaping @Sendable () -> Int64 = { 1_790_000_000 }) async throws -> some ApplicationProtocol {
        try await buildApplication(settings: ServerSettings(port: 0), storage: storage, registry: PrometheusCollectorRegistry(),
                                   now: { "2026-11-22T00:00:00Z" }, today: { Day(year: 2026, month: 6, day: 30)! },
                                   clock: clock, logger: Logger(label: "test"))
    }

    func headers(_ role: Role?, idempotencyKey: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let role, let token = tokens[role] { fields[.authorization] = "Bearer \(token)" }
        if let idempotencyKey { fields[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return fields
    }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]) ?? [:]
    }
}
