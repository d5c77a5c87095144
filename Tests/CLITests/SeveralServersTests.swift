import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The PostgreSQL server tests may create databases on (`scripts/test` starts one).
let postgresTestServer = ProcessInfo.processInfo.environment["ARBOOK_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

/// Two `arbook serve` processes on one PostgreSQL book, and 64 clients recording receipts that allocate
/// against the same open items through both at once. Runs when `ARBOOK_TEST_POSTGRES` names a server
/// (`scripts/test` starts one).
@Suite(.enabled(if: postgresTestServer != nil))
struct SeveralServersTests {
    static var server: String? { postgresTestServer }

    /// A URL naming a new database on the test server.
    static func freshDatabase() throws -> String {
        var url = try #require(server.flatMap(URLComponents.init(string:)))
        url.path = "/arbook_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return try #require(url.string)
    }

    static func freePort() throws -> UInt16 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(socket, $0, length) == 0, getsockname(socket, $0, &length) == 0 else { throw CancellationError() }
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    @Test func twoServersOnOneBookApplyEveryReceiptExactlyOnce() async throws {
        let database = try Self.freshDatabase()
        let cli = try CLI(database: database)
        #expect(try cli.run("init").status == 0)
        // 10 customers with 30 invoices each: the receipts below compete for their oldest items.
        var customers = "code,name,payment_terms_days\n", invoices = "number,customer,issue_date,amount\n"
        for customer in 1...10 {
            let code = "C" + String(format: "%06d", customer)
            customers += "\(code),Customer \(customer),30\n"
            for invoice in 1...30 { invoices += "F\(customer)-\(invoice),\(code),2026-0\(1 + invoice % 5)-\(10 + invoice % 18),2000.00\n" }
        }
        #expect(try cli.run("import", "customers", cli.file("c.csv", customers)).status == 0)
        #expect(try cli.run("import", "invoices", cli.file("i.csv", invoices)).status == 0)
        #expect(try cli.run("user", "add", "load", "--role", "accountant", input: "correct horse battery\n").status == 0)
        let token = try cli.run("token", "create", "load", "--user", "load").out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!token.isEmpty)
        let before = try Self.agingTotals(cli)
        #expect(before.balance == 10 * 30 * 2000_00)

        let ports = [try Self.freePort(), try Self.freePort()]
        let servers = try ports.map { try cli.start("serve", "--port", String($0), "--connections", "24") }
        defer { for server in servers { server.terminate(); server.waitUntilExit() } }
        for port in ports { try await Self.waitForHealth(port: port) }

        let load = try cli.runTool("arbook-benchmark", "receipts", "--port", String(ports[0]), String(ports[1]), "--token", token,
                                   "--connections", "64", "--rate", "0", "--seconds", "4", "--customers", "10", "--day", "2026-06-30")
        #expect(load.status == 0, "\(load.out)\(load.err)")
        #expect(load.out.contains("errors 0"), "\(load.out)")
        let acknowledged = try #require(Self.acknowledged(load.out), "\(load.out)")
        #expect(acknowledged > 0)

        let check = try cli.run("check")
        #expect(check.status == 0, "\(check.out)\(check.err)")
        #expect(check.out.contains("OK"))
        // The customers' balance fell by exactly what the servers acknowledged: what is open fell by what was
        // applied, and the rest waits as advances.
        let after = try Self.agingTotals(cli)
        #expect(before.balance - after.balance == acknowledged)
        #expect(before.open - after.open + after.unapplied == acknowledged)
    }

    /// "… fell by exactly the 1234.56 acknowledged" → 123456.
    static func acknowledged(_ report: String) -> Int64? {
        guard let range = report.range(of: "fell by exactly the ") else { return nil }
        let parts = report[range.upperBound...].prefix { $0.isNumber || $0 == "." }.split(separator: ".")
        guard parts.count == 2, let units = Int64(parts[0]), let cents = Int64(parts[1]) else { return nil }
        return units * 100 + cents
    }

    /// The aging report's totals in minor units: balance, Σ buckets (open) and unapplied.
    static func agingTotals(_ cli: CLI) throws -> (balance: Int64, open: Int64, unapplied: Int64) {
        let json = try cli.run("aging", "--format", "json").out
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any], "\(json.prefix(500))")
        func minor(_ text: String) throws -> Int64 {
            let parts = text.replacingOccurrences(of: ",", with: "").split(separator: ".")
            let units = try #require(Int64(parts[0]), "\(text)")
            return units * 100 + (parts.count > 1 ? Int64(parts[1]) ?? 0 : 0)
        }
        let buckets = try #require(totals["buckets"] as? [String]).map(minor).reduce(0, +)
        return (try minor(try #require(totals["balance"] as? String)), buckets, try minor(try #require(totals["unapplied"] as? String)))
    }

    static func waitForHealth(port: UInt16) async throws {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/health"))
        for _ in 0..<300 {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CancellationError()
    }
}
