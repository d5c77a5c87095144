import ArgumentParser
import Foundation

/// Generates the benchmark book as CSV files, then times the real `arbook` commands on it, each in
/// its own process so that its peak memory can be read from the kernel.
@main
struct Benchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbook-benchmark",
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

    func run() async throws {
        let binary = arbook ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("arbook").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = BenchmarkFiles(folder: folder, customerCount: customers, invoiceCount: invoices)
        if !reuse || !FileManager.default.fileExists(atPath: files.receiptsPath) {
            let started = Date()
            try files.write()
            print("generated \(customers) customers, \(invoices) invoices, \(invoices) receipts in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
        let book = folder + "/bench.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: book + suffix) }
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
