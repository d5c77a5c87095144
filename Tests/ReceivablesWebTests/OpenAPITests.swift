import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import ReceivablesWeb
import Testing
import Yams

/// What the server does matches the OpenAPI document: the same operations, answers the document
/// lists, and 2xx bodies holding the properties their schema requires.
@Suite struct OpenAPITests {
    static func document() throws -> [String: Any] {
        try #require(try Yams.load(yaml: OpenAPIDocument.load()) as? [String: Any])
    }

    /// A request that should succeed for each documented operation, in the WebBook's data.
    /// The operations in the order the examples build on each other.
    static let order = [
        "get /api/v1/aging", "get /api/v1/customers", "post /api/v1/customers", "get /api/v1/customers/{code}/ledger",
        "post /api/v1/invoices", "get /api/v1/invoices/{number}", "post /api/v1/invoices/{number}/credit-notes",
        "post /api/v1/receipts", "post /api/v1/receipts/{reference}/allocations", "post /api/v1/allocations/{id}/reversal",
        "post /api/v1/receipts/{reference}/reversal", "post /api/v1/imports/{kind}",
        "get /api/v1/customers/{code}", "get /api/v1/customers/{code}/advances", "get /api/v1/invoices", "get /api/v1/journal",
        "post /api/v1/customers/{code}/promises", "post /api/v1/customers/{code}/activities", "post /api/v1/invoices/{number}/disputes",
        "get /api/v1/dunning/plan", "get /api/v1/worklist",
    ]

    static let examples: [String: (uri: String, body: String?)] = [
        "get /api/v1/aging": ("/api/v1/aging?as_of=2026-06-30", nil),
        "get /api/v1/customers": ("/api/v1/customers?limit=10", nil),
        "post /api/v1/customers": ("/api/v1/customers", #"{"code": "N1", "name": "新客户", "payment_terms": "eom 30"}"#),
        "get /api/v1/customers/{code}/ledger": ("/api/v1/customers/K1/ledger", nil),
        "post /api/v1/invoices": ("/api/v1/invoices", #"{"number": "N-1", "customer": "K1", "issue_date": "2026-06-01", "amount": "10.00"}"#),
        "post /api/v1/receipts": ("/api/v1/receipts", #"{"reference": "P-1", "customer": "K2", "date": "2026-06-01", "amount": "5.00"}"#),
        "post /api/v1/receipts/{reference}/allocations": ("/api/v1/receipts/P-1/allocations", #"{"invoice": "F2", "amount": "5.00"}"#),
        "get /api/v1/invoices/{number}": ("/api/v1/invoices/N-1", nil),
        "post /api/v1/invoices/{number}/credit-notes": ("/api/v1/invoices/N-1/credit-notes",
                                                         #"{"number": "CN-1", "date": "2026-06-02", "amount": "4.00", "reason": "退货"}"#),
        "post /api/v1/allocations/{id}/reversal": ("/api/v1/allocations/2/reversal", #"{"date": "2026-06-03", "reason": "wrong invoice"}"#),
        "post /api/v1/receipts/{reference}/reversal": ("/api/v1/receipts/P-1/reversal", #"{"date": "2026-06-04", "reason": "退票"}"#),
        "post /api/v1/imports/{kind}": ("/api/v1/imports/customers", "code,name\nN2,新客户二\n"),
        "get /api/v1/customers/{code}": ("/api/v1/customers/K1", nil),
        "get /api/v1/customers/{code}/advances": ("/api/v1/customers/K2/advances", nil),
        "get /api/v1/invoices": ("/api/v1/invoices?status=open&limit=5", nil),
        "get /api/v1/journal": ("/api/v1/journal?limit=3", nil),
        "post /api/v1/customers/{code}/promises": ("/api/v1/customers/K1/promises", #"{"amount": "50.00", "due": "2026-07-10", "invoice": "F1"}"#),
        "post /api/v1/customers/{code}/activities": ("/api/v1/customers/K1/activities",
                                                     #"{"kind": "call", "outcome": "会计说下周付", "next_action_day": "2026-07-06", "next_action": "call back"}"#),
        "post /api/v1/invoices/{number}/disputes": ("/api/v1/invoices/F2/disputes", #"{"amount": "20.00", "reason": "price"}"#),
        "get /api/v1/dunning/plan": ("/api/v1/dunning/plan?as_of=2026-06-30", nil),
        "get /api/v1/worklist": ("/api/v1/worklist?as_of=2026-06-30", nil),
    ]

    @Test func theDocumentListsExactlyTheRoutesTheServerHas() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
        let served = Set(BookAPI.routes.map { "\($0.method.rawValue.lowercased()) /api/v1/\($0.path)" })
        #expect(documented == served)
        #expect(Set(Self.examples.keys) == served)
        #expect(Set(Self.order) == served)
    }

    @Test func everyOperationAnswersAsDocumented() async throws {
        let book = try await WebBook()
        let text = try OpenAPIDocument.load()
        try await book.application().test(.router) { client in
            let document = try Self.document()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            try await client.execute(uri: "/api/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == text)
            }
            for key in Self.order {
                let (uri, body) = try #require(Self.examples[key])
                let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
                let operation = try #require(paths[parts[1]]?[parts[0]] as? [String: Any])
                let responses = try #require(operation["responses"] as? [String: Any])
                let method = HTTPRequest.Method(rawValue: parts[0].uppercased())!
                try await client.execute(uri: uri, method: method, headers: book.headers(.admin),
                                         body: body.map { ByteBuffer(string: $0) }) { response in
                    let status = String(response.status.code)
                    #expect(responses[status] != nil, "\(key) answered \(status), which the document does not list")
                    #expect(response.status.code < 300, "\(key): \(String(buffer: response.body))")
                    guard let success = responses[status] as? [String: Any],
                          let content = (success["content"] as? [String: Any])?["application/json"] as? [String: Any],
                          let reference = (content["schema"] as? [String: Any])?["$ref"] as? String else { return }
                    let schema = try #require(schemas[String(reference.split(separator: "/").last!)])
                    let required = schema["required"] as? [String] ?? []
                    let json = response.json
                    for property in required { #expect(json.keys.contains(property), "\(key) misses \(property)") }
                }
                // Every error is problem+json, and is documented.
                try await client.execute(uri: uri, method: method, headers: [.contentType: "application/json"],
                                         body: body.map { ByteBuffer(string: $0) }) { response in
                    #expect(response.status == .unauthorized)
                    #expect(responses["401"] != nil, "\(key) does not document 401")
                }
            }
        }
    }
}
