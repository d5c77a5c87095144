import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Receivables
import ReceivablesWeb
import TestBooks
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Connections that stall are closed: half a request's header, or nothing at all, is not held open.
@Suite struct ConnectionTests {
    /// Sends `text` on a new connection to the port and reads until the server closes it or
    /// `patience` seconds pass; returns what was read and whether the server closed the connection.
    static func send(_ text: String, port: Int, patience: Int) throws -> (answer: String, closed: Bool) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: patience, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = text.withCString { Glibc.send(socket, $0, strlen($0), 0) }
        var answer = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return (String(decoding: answer, as: UTF8.self), true) }
            if count < 0 { return (String(decoding: answer, as: UTF8.self), false) }  // patience ran out
            answer += buffer[0..<count]
        }
    }

    @Test func aConnectionThatStallsInItsHeaderIsClosed() async throws {
        let storage = try Engine.default.makeStorage()
        let application = try await buildApplication(
            settings: ServerSettings(port: 0, passwordCost: 4, idleSeconds: 1), storage: storage, registry: PrometheusCollectorRegistry(),
            today: { Day(year: 2026, month: 6, day: 30)! }, logger: Logger(label: "test"))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            // A whole request is answered, and the idle connection is then closed.
            let whole = try Self.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", port: port, patience: 30)
            #expect(whole.answer.hasPrefix("HTTP/1.1 200"))
            #expect(whole.closed)
            // Half a header, or nothing: closed by the server long before the client would give up.
            #expect(try Self.send("GET /health HTTP/1.1\r\nHost: x\r\n", port: port, patience: 30).closed)
            #expect(try Self.send("", port: port, patience: 30).closed)
        }
    }
}
