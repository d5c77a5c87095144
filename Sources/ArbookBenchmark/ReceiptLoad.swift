import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A load of receipts over HTTP against a running `arbook serve`: `connections` clients, each on its
/// own keep-alive connection, post receipts that allocate oldest-due-first against the open invoices
/// of a shared set of customers, so that concurrent receipts compete for the same open items.
///
/// Open loop: with a rate, every request has a scheduled send time and its latency counts from that
/// time, so a slow answer delays (and is charged to) the requests queued behind it — the figure a
/// user waiting on the system sees, without coordinated omission. With rate 0 each client sends its
/// next request as soon as the last is answered (closed loop: the highest throughput).
///
/// Afterwards every customer's balance, read back through the API, must have fallen by exactly the
/// receipts the servers acknowledged: nothing lost, nothing applied twice. With several ports the
/// clients are spread over several servers sharing one book.
struct ReceiptLoad {
    let host: String
    /// Client n talks to the server at ports[n % count]; balances are read from the first.
    let ports: [UInt16]
    let token: String
    let connections: Int
    /// Receipts per second offered in all (0: closed loop).
    let rate: Int
    let seconds: Double
    let customers: [String]
    let day: String

    struct Outcome {
        var latencies: [Double] = []
        var errors = 0
        var sent: [String: Int64] = [:]
        var firstError: String?
    }

    func run() throws -> String {
        let before = try customers.map { try balance(of: $0) }
        let run = UInt64(Date().timeIntervalSince1970)
        let start = DispatchTime.now().uptimeNanoseconds + 200_000_000
        let end = start + UInt64(seconds * 1e9)
        let results = Results(count: connections)
        let group = DispatchGroup()
        for client in 0..<connections {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                results.set(client, self.client(client, run: run, start: start, end: end))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let outcomes = results.all
        let elapsed = Double(end - start) / 1e9
        var all = outcomes.flatMap(\.latencies)
        all.sort()
        let errors = outcomes.reduce(0) { $0 + $1.errors }
        var sent: [String: Int64] = [:]
        for outcome in outcomes { sent.merge(outcome.sent, uniquingKeysWith: +) }
        // Nothing lost, nothing twice: each balance fell by what was acknowledged for that customer.
        var mismatches: [String] = []
        for (index, code) in customers.enumerated() {
            let after = try balance(of: code)
            let expected = before[index] - (sent[code] ?? 0)
            if after != expected { mismatches.append("\(code): balance \(after), expected \(expected)") }
        }
        func percentile(_ p: Double) -> Double {
            all.isEmpty ? 0 : all[min(all.count - 1, Int(Double(all.count) * p / 100))] * 1000
        }
        var report = String(format: "%d receipts in %.1f s: %.0f/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d",
                            all.count, elapsed, Double(all.count) / elapsed, percentile(50), percentile(90), percentile(99),
                            (all.last ?? 0) * 1000, errors)
        if let first = outcomes.compactMap(\.firstError).first { report += "\nfirst error: \(first)" }
        report += mismatches.isEmpty
            ? "\nbalances of \(customers.count) customers fell by exactly the \(Self.decimal(sent.values.reduce(0, +))) acknowledged"
            : "\nMISMATCH:\n" + mismatches.joined(separator: "\n")
        guard mismatches.isEmpty else { throw BenchmarkError(report) }
        return report
    }

    /// One client: its share of the rate, on one connection.
    private func client(_ client: Int, run: UInt64, start: UInt64, end: UInt64) -> Outcome {
        var outcome = Outcome()
        guard let connection = try? HTTPConnection(host: host, port: ports[client % ports.count]) else {
            outcome.errors += 1
            outcome.firstError = "could not connect"
            return outcome
        }
        var random = SplitMix(seed: UInt64(client) &* 7919 &+ run)
        let period = rate > 0 ? UInt64(connections) * 1_000_000_000 / UInt64(rate) : 0
        var scheduled = start + (rate > 0 ? UInt64(client) * period / UInt64(connections) : 0)
        var counter = 0
        while scheduled < end {
            var now = DispatchTime.now().uptimeNanoseconds
            if scheduled > now {
                usleep(UInt32((scheduled - now) / 1000))
                now = DispatchTime.now().uptimeNanoseconds
            }
            let begin = rate > 0 ? scheduled : now
            counter += 1
            let customer = customers[Int(random.next(UInt64(customers.count)))]
            let amount = Int64(random.next(50_000) + 100)
            let body = "{\"reference\":\"L\(run)-\(client)-\(counter)\",\"customer\":\"\(customer)\",\"date\":\"\(day)\","
                + "\"amount\":\"\(amount / 100).\(amount % 100 < 10 ? "0" : "")\(amount % 100)\",\"method\":\"bank_transfer\",\"auto_allocate\":true}"
            do {
                let (status, text) = try connection.exchange(method: "POST", path: "/api/v1/receipts", token: token, body: body)
                if status == 201 {
                    outcome.sent[customer, default: 0] += amount
                } else {
                    outcome.errors += 1
                    if outcome.firstError == nil { outcome.firstError = "\(status) \(text.prefix(300))" }
                }
            } catch {
                outcome.errors += 1
                if outcome.firstError == nil { outcome.firstError = "\(error)" }
                return outcome
            }
            let done = DispatchTime.now().uptimeNanoseconds
            outcome.latencies.append(Double(done - begin) / 1e9)
            scheduled = rate > 0 ? scheduled + period : done
        }
        return outcome
    }

    /// The customer's balance (open items less unapplied credits) in minor units, from the API.
    private func balance(of code: String) throws -> Int64 {
        let connection = try HTTPConnection(host: host, port: ports[0])
        let (status, text) = try connection.exchange(method: "GET", path: "/api/v1/customers/\(code)", token: token, body: nil)
        guard status == 200, let data = text.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let balance = object["balance"] as? String else {
            throw BenchmarkError("GET /api/v1/customers/\(code): \(status) \(text.prefix(200))")
        }
        return try minorUnits(balance)
    }

    /// Minor units as a decimal amount: 12345 → "123.45".
    static func decimal(_ minor: Int64) -> String {
        let cents = abs(minor % 100)
        return "\(minor / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    private func minorUnits(_ text: String) throws -> Int64 {
        let negative = text.hasPrefix("-")
        let parts = text.drop { $0 == "-" }.split(separator: ".")
        guard parts.count == 2, let units = Int64(parts[0]), let cents = Int64(parts[1]), parts[1].count == 2 else {
            throw BenchmarkError("not an amount: \(text)")
        }
        return (units * 100 + cents) * (negative ? -1 : 1)
    }
}

/// The clients' outcomes, each set once by its own thread.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [ReceiptLoad.Outcome]
    init(count: Int) { outcomes = Array(repeating: ReceiptLoad.Outcome(), count: count) }
    func set(_ index: Int, _ outcome: ReceiptLoad.Outcome) { lock.withLock { outcomes[index] = outcome } }
    var all: [ReceiptLoad.Outcome] { lock.withLock { outcomes } }
}

/// A minimal HTTP/1.1 client on one keep-alive TCP connection (answers with Content-Length only,
/// which is what arbook sends).
final class HTTPConnection {
    private let socket: Int32
    private let host: String
    private var buffer: [UInt8] = []

    init(host: String, port: UInt16) throws {
        self.host = host
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw BenchmarkError("cannot connect to \(host):\(port)")
        }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(socket) }

    func exchange(method: String, path: String, token: String, body: String?) throws -> (status: Int, body: String) {
        let payload = Array((body ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nAuthorization: Bearer \(token)\r\n"
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + payload
        var written = 0
        while written < request.count {
            let count = request[written...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw BenchmarkError("connection closed while sending") }
            written += count
        }
        let headerEnd = try readUntilHeaderEnd()
        let header = String(decoding: buffer[..<headerEnd], as: UTF8.self)
        buffer.removeFirst(headerEnd + 4)
        let lines = header.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
              let status = Int(statusLine.split(separator: " ")[1]) else { throw BenchmarkError("bad response: \(header.prefix(100))") }
        let length = lines.dropFirst().compactMap { line -> Int? in
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "content-length" else { return nil }
            return Int(pair[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        while buffer.count < length { try fill() }
        let text = String(decoding: buffer[..<length], as: UTF8.self)
        buffer.removeFirst(length)
        return (status, text)
    }

    private func readUntilHeaderEnd() throws -> Int {
        var searched = 0
        while true {
            if buffer.count >= 4 {
                for index in max(0, searched - 3)..<(buffer.count - 3)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    return index
                }
                searched = buffer.count
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw BenchmarkError("connection closed by the server") }
        buffer.append(contentsOf: chunk[..<count])
    }
}
