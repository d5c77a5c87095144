import ArgumentParser
import Foundation

/// Generates the benchmark book as CSV files, then times the real `arbook` commands on it, each in
/// its own process so that its peak memory can be read from the kernel.
@main
struct Benchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbook-benchmark",
        abstract: "Benchmarks of arbook.",
        subcommands: [BookBenchmark.self, ReceiptsBenchmark.self],
        defaultSubcommand: BookBenchmark.self)
}

struct BookBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Measure import, aging and check on a generated book (default: 10,000 customers, 1,000,000 invoices, 1,000,000 receipts).")

    @Option(help: "Where the generated files and the book go.")
    var folder: String = "bench-data"

    @Option(help: "Customers to generate.")
    var customers: Int = 10_000

    @Option(help: "Invoices to generate (receipts: the same number).")
    var invoices: Int = 1_000_000

    @Option(help: "The arbook binary (default: next to this one).")
    var arbook: String?

    @Flag(help: "Keep existing generated files instead of writing them again.")
    var reuse = false

    @Option(help: "Measure on this PostgreSQL database (postgres://…; it must hold no book) instead of a SQLite file in the folder.")
    var database: String?

    func run() async throws {
        let binary = arbook ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("arbook").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = BenchmarkFiles(folder: folder, customerCount: customers, invoiceCount: invoices)
        if !reuse || !FileManager.default.fileExists(atPath: files.receiptsPath) {
            let started = Date()
            try files.write()
            print("generated \(customers) customers, \(invoices) invoices, \(invoices) receipts in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
        let book = database ?? folder + "/bench.sqlite"
        if database == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: book + suffix) } }
        let runner = Runner(binary: binary, database: book)
        var rows: [Measurement] = []
        rows.append(try runner.measure("init", ["init"]))
        rows.append(try runner.measure("import customers", ["import", "customers", files.customersPath], documents: customers))
        rows.append(try runner.measure("import invoices", ["import", "invoices", files.invoicesPath], documents: invoices))
        rows.append(try runner.measure("import receipts", ["import", "receipts", files.receiptsPath], documents: invoices))
        rows.append(try runner.measure("aging today", ["aging", "--as-of", files.today, "--format", "json"]))
        rows.append(try runner.measure("aging as of a year ago", ["aging", "--as-of", files.yearAgo, "--format", "json"]))
        rows.append(try runner.measure("aging by invoice day, 6 buckets", ["aging", "--as-of", files.today, "--basis", "invoice",
                                                                         "--buckets", "30,60,90,180,365", "--format", "json"]))
        rows.append(try runner.measure("check", ["check"]))
        let size = (try? FileManager.default.attributesOfItem(atPath: book)[.size] as? Int64) ?? 0
        print("")
        print("| step | wall time | documents/s | peak memory |")
        print("| --- | ---: | ---: | ---: |")
        for row in rows { print(row.markdown) }
        print("")
        print("book file: \(size / 1_048_576) MiB")
    }
}

struct ReceiptsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipts",
        abstract: "Post receipts that allocate against shared invoices to a running `arbook serve`, and verify every balance afterwards.")

    @Option(help: "The server's address (IPv4).")
    var host = "127.0.0.1"

    @Option(parsing: .upToNextOption, help: "The servers' ports: clients are spread over them (several servers on one PostgreSQL book).")
    var port: [UInt16] = [8080]

    @Option(help: "An API token with a writing role (default: $TOKEN).")
    var token: String?

    @Option(help: "Concurrent clients, each on its own connection.")
    var connections = 64

    @Option(help: "Receipts per second offered in all (0: each client sends as soon as it is answered).")
    var rate: Int = 2000

    @Option(help: "How long the load runs, in seconds.")
    var seconds: Double = 20

    @Option(help: "The customers receipts go to: C000001 … C<count> of the benchmark book.")
    var customers = 100

    @Option(help: "The receipts' day.")
    var day = "2026-06-30"

    func run() throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["TOKEN"] else {
            throw ValidationError("give --token or set TOKEN")
        }
        guard (1...1024).contains(connections), customers >= 1, seconds > 0, rate >= 0, !port.isEmpty else {
            throw ValidationError("connections 1…1024, customers ≥ 1, seconds > 0, rate ≥ 0")
        }
        let codes = (1...customers).map { "C" + String(repeating: "0", count: max(0, 6 - String($0).count)) + String($0) }
        let load = ReceiptLoad(host: host, ports: port, token: token, connections: connections, rate: rate, seconds: seconds,
                               customers: codes, day: day)
        print(try load.run())
    }
}

struct Measurement {
    let name: String
    let seconds: Double
    let documents: Int?
    let peakKiB: Int

    var markdown: String {
        let perSecond = documents.map { String(format: "%.0f", Double($0) / seconds) } ?? ""
        return "| \(name) | \(String(format: "%.3f", seconds)) s | \(perSecond) | \(peakKiB / 1024) MiB |"
    }
}
