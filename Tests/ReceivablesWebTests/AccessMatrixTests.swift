import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Receivables
@testable import ReceivablesWeb
import Testing

/// Every role against every route of the API and the pages, generated from the route tables: a route
/// refuses a role its permission does not allow (403, nothing written), and a collector — who sees only
/// the customers assigned to them — gets, for another customer's code, invoice, receipt, allocation,
/// dispute or message, the same answer as for one that does not exist, and never that customer's data
/// in any answer. A new route joins the matrix by being in its table; a path parameter the matrix
/// cannot fill fails it.
@Suite struct AccessMatrixTests {
    /// The other customer's names, which must appear in no answer to the collector.
    static let secrets = ["机密客户甲", "SECRET-INV-1", "SECRET-RCPT-1"]

    struct Foreign {
        let allocation: AllocationRecord.ID
        let dispute: DisputeRecord.ID
        let message: StoredOutboxMessage.ID
    }

    /// WebBook plus a customer X9 that the collector (assigned K1) may not see, with an invoice, a
    /// receipt applied to it, a dispute and a dunning message.
    static func book() async throws -> (WebBook, Foreign) {
        let book = try await WebBook()
        let caller = WebBook.operatorCaller
        let billing = Billing(storage: book.storage, caller: caller)
        _ = try await billing.addCustomer(Customer(code: Customer.Code("X9"), name: "机密客户甲"))
        _ = try await billing.issueInvoice(InvoiceDraft(number: DocumentNumber("SECRET-INV-1"), customer: Customer.Code("X9"),
                                                        issue: Day(year: 2026, month: 1, day: 5)!, amount: Money(minorUnits: 90_000, currency: .cny)))
        let receipt = try await Cash(storage: book.storage, caller: caller).recordReceipt(
            Receipt(reference: DocumentNumber("SECRET-RCPT-1"), customer: Customer.Code("X9"), day: Day(year: 2026, month: 2, day: 1)!,
                    amount: Money(minorUnits: 10_000, currency: .cny), method: .bankTransfer),
            application: .invoice(DocumentNumber("SECRET-INV-1")))
        let allocation = try #require(try await book.storage.read { try $0.liveAllocations(credit: receipt.id).first?.id })
        let collections = Collections(storage: book.storage, caller: caller)
        let dispute = try await collections.openDispute(invoice: DocumentNumber("SECRET-INV-1"), amount: "10.00", reason: "price",
                                                        day: Day(year: 2026, month: 2, day: 2)!)
        _ = try await collections.run(asOf: Day(year: 2026, month: 6, day: 30)!, approve: true)
        let x9 = try #require(try await book.storage.read { try $0.customer(code: Customer.Code("X9"))?.id })
        let messages = try await Outbox(storage: book.storage, caller: caller).messages(status: nil, limit: 500)
        let message = try #require(messages.first { $0.message.customer == x9 }?.id)
        return (book, Foreign(allocation: allocation, dispute: dispute, message: message))
    }

    /// The path with its parameters filled with the hidden customer's values, or with values that do not exist.
    static func fill(_ path: String, foreign: Foreign?) throws -> String {
        var filled = path
        for parameter in ["code", "number", "reference", "id", "kind"] where filled.contains("{\(parameter)}") {
            let value: String
            switch parameter {
            case "code": value = foreign == nil ? "NOPE" : "X9"
            case "number": value = foreign == nil ? "NOPE" : "SECRET-INV-1"
            case "reference": value = foreign == nil ? "NOPE" : "SECRET-RCPT-1"
            case "kind": value = "customers"
            default:
                guard let foreign else { value = "999999"; break }
                if path.hasPrefix("allocations") { value = foreign.allocation.description }
                else if path.hasPrefix("disputes") { value = foreign.dispute.description }
                else if path.hasPrefix("outbox") { value = foreign.message.description }
                else { throw MatrixError.unknownParameter(path) }
            }
            filled = filled.replacingOccurrences(of: "{\(parameter)}", with: value)
        }
        guard !filled.contains("{") else { throw MatrixError.unknownParameter(path) }
        return filled
    }

    enum MatrixError: Error { case unknownParameter(String) }

    /// What a change would show: the journal's entries and every customer's open and unapplied amounts.
    static func bookState(_ book: WebBook) async throws -> String {
        try await book.storage.read { reader in
            let figures = try reader.checkFigures(chart: try reader.settings().chart)
            return "\(figures.entries) \(figures.openItems.sorted { $0.key < $1.key }.map(\.value)) "
                + "\(figures.unappliedCredits.sorted { $0.key < $1.key }.map(\.value)) \(try reader.disputes(status: nil).count)"
        }
    }

    /// What every answer must be: 403 with nothing written when the role lacks the route's permission; for
    /// a collector, no other customer's data but what they typed, and the answer for another customer's
    /// document the same as for a missing one (`missing`, the same request naming documents that do not exist).
    static func judge(_ response: TestResponse, missing: TestResponse?, uri: String, role: Role, permission: Permission, name: String,
                      book: WebBook, before: String) async throws {
        let name = "\(role.rawValue) \(name)"
        if !role.allows(permission) {
            #expect(response.status == .forbidden, "\(name): \(response.status)")
            #expect(try await bookState(book) == before, "\(name) changed the book")
        }
        guard role == .collector else { return }
        // What the collector typed may be echoed ("invoice 'SECRET-INV-1' does not exist"); nothing else may show.
        let text = String(buffer: response.body)
        #expect(!secrets.contains { !uri.contains($0) && text.contains($0) }, "\(name) showed another customer's data")
        if let missing { #expect(response.status == missing.status, "\(name): hidden \(response.status), missing \(missing.status)") }
    }

    @Test func everyAPIRouteAnswersEachRoleAsItsPermissionSays() async throws {
        let (book, foreign) = try await Self.book()
        try await book.application().test(.router) { client in
            for route in BookAPI.routes {
                for role in Role.allCases {
                    let before = try await Self.bookState(book)
                    let uri = "/api/v1/" + (try Self.fill(route.path, foreign: foreign))
                    let body = route.method == .post ? ByteBuffer(string: "{}") : nil
                    let response = try await client.execute(uri: uri, method: route.method, headers: book.headers(role), body: body) { $0 }
                    let missing = route.path.contains("{") && route.path != "imports/{kind}"
                        ? try await client.execute(uri: "/api/v1/" + (try Self.fill(route.path, foreign: nil)), method: route.method,
                                                   headers: book.headers(role), body: body) { $0 } : nil
                    try await Self.judge(response, missing: missing, uri: uri, role: role, permission: route.permission,
                                         name: "\(route.method) \(route.path)", book: book, before: before)
                }
            }
        }
    }

    @Test func everyPageAnswersEachRoleAsItsPermissionSays() async throws {
        let (book, foreign) = try await Self.book()
        try await book.application().test(.router) { client in
            var sessions: [Role: (cookie: String, csrf: String)] = [:]
            for role in Role.allCases { sessions[role] = try #require(try await PageTests().signIn(client, as: role)) }
            // Signing out ends the session the other routes need: it goes last.
            let routes = Pages.routes.filter { $0.path != "logout" } + Pages.routes.filter { $0.path == "logout" }
            for route in routes {
                for role in Role.allCases {
                    let session = try #require(sessions[role])
                    let before = try await Self.bookState(book)
                    let path = try Self.fill(route.path, foreign: foreign)
                    let uri = path.hasPrefix("/") ? path : "/" + path
                    var headers: HTTPFields = [.cookie: session.cookie]
                    var body: ByteBuffer?
                    if route.method == .post {
                        headers[.contentType] = "application/x-www-form-urlencoded"
                        body = ByteBuffer(string: "_csrf=\(session.csrf)")
                    }
                    let response = try await client.execute(uri: uri, method: route.method, headers: headers, body: body) { $0 }
                    let missing = route.path.contains("{")
                        ? try await client.execute(uri: "/" + (try Self.fill(route.path, foreign: nil)), method: route.method,
                                                   headers: headers, body: body) { $0 } : nil
                    try await Self.judge(response, missing: missing, uri: uri, role: role, permission: route.permission,
                                         name: "\(route.method) \(route.path)", book: book, before: before)
                }
            }
        }
    }

    @Test func theMatrixCannotFillAParameterItDoesNotKnow() {
        #expect(throws: MatrixError.self) { try Self.fill("contracts/{contract}", foreign: nil) }
        #expect(throws: MatrixError.self) {
            try Self.fill("credits/{id}", foreign: Foreign(allocation: .init(1), dispute: .init(1), message: .init(1)))
        }
    }
}
