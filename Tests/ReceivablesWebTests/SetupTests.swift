import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Receivables
import ReceivablesWeb
import TestBooks
import Testing

/// The first admin is made on the server itself, once.
@Suite struct SetupTests {
    /// A new book, already open: a PostgreSQL book's database is created on its first use, which on a
    /// busy test server can take longer than the live client waits for an answer.
    func emptyBook() async throws -> any BookStorage {
        let storage = try Engine.default.makeStorage()
        #expect(try await Users.needsFirstAdmin(storage: storage))
        return storage
    }

    func application(_ storage: any BookStorage) async throws -> some ApplicationProtocol {
        try await buildApplication(settings: ServerSettings(port: 0, passwordCost: 4), storage: storage, registry: PrometheusCollectorRegistry(),
                                   today: { Day(year: 2026, month: 6, day: 30)! }, logger: Logger(label: "test"))
    }

    @Test func theFirstAdminIsCreatedFromLoopbackOnce() async throws {
        let storage = try await emptyBook()
        try await application(storage).test(.live) { client in
            let form = try await client.execute(uri: "/setup", method: .get) { $0 }
            #expect(form.status == .ok)
            let token = try #require(PageTests.cookie("arbook_setup_csrf", in: form))
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "arbook_setup_csrf=\(token)"]
            try await client.execute(uri: "/setup", method: .post, headers: headers,
                                     body: ByteBuffer(string: "_csrf=\(token)&name=boss&password=first+admin+pw&password_again=other+pw+xx")) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("The passwords differ."))
            }
            try await client.execute(uri: "/setup", method: .post, headers: headers,
                                     body: ByteBuffer(string: "_csrf=\(token)&name=boss&password=first+admin+pw&password_again=first+admin+pw")) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/setup", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        let users = try await Users(storage: storage, caller: .commandLine).list()
        #expect(users.map(\.name) == ["boss"])
        #expect(users.first?.role == .admin)
    }

    @Test func theSetUpPageIsRefusedFromElsewhere() async throws {
        let storage = try await emptyBook()
        // The router test client has no loopback peer, as a request from another machine would not.
        try await application(storage).test(.router) { client in
            try await client.execute(uri: "/setup", method: .get) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
