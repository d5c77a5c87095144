import Foundation
import Receivables

/// Moves a whole book from one engine to another (`arbook copy`): every table, ids included, read in
/// one transaction of the source (one consistent state, even while it is in use) and written in one
/// transaction of the target (all of it, or nothing). The target must hold no book yet: an empty
/// database or a new file. The copy is then proven: `check` passes on it and its aging as of `asOf`
/// equals the original's.
public struct BookCopy: Sendable {
    let source: any BookStorage
    let target: any BookStorage
    let caller: Caller

    public init(from source: any BookStorage, to target: any BookStorage, caller: Caller) {
        self.source = source
        self.target = target
        self.caller = caller
    }

    /// Rows move in chunks of this many; a few chunks wait between the reader and the writer.
    static let chunkRows = 5_000

    public struct Outcome: Sendable {
        /// How many rows of each table moved.
        public let rows: [(table: String, rows: Int)]
        /// `check` on the copy.
        public let check: CheckReport
    }

    /// Copies the book and proves the copy; a copy that does not tie out or ages differently is an error.
    public func run(asOf: Day) async throws -> Outcome {
        let rows = try await copy()
        let check = try await BookCheck(storage: target, caller: caller).run()
        guard check.passed else {
            throw BookError.invalid(field: "--to", reason: "the copy does not tie out: \(check.findings.first.map(\.description) ?? "")")
        }
        let original = try await Reports(storage: source, caller: caller).aging(.init(asOf: asOf))
        guard try await Reports(storage: target, caller: caller).aging(.init(asOf: asOf)) == original else {
            throw BookError.invalid(field: "--to", reason: "the copy's aging as of \(asOf) differs from the original's")
        }
        return Outcome(rows: rows, check: check)
    }

    private func copy() async throws -> [(table: String, rows: Int)] {
        try caller.principal.require(.manageUsers)
        let settings = try await source.read { try $0.settings() }
        let pipe = RowPipe(capacity: 8)
        async let written: [String: Int] = target.write { tx in
            do {
                let figures = try tx.checkFigures(chart: settings.chart)
                guard figures.entries == 0, try tx.customerDirectory().isEmpty, try tx.users().isEmpty else {
                    throw BookError.invalid(field: "--to", reason: "the target holds a book already; copy into an empty database or a new file")
                }
                try tx.saveSettings(settings)
                var counts: [String: Int] = [:]
                while let (table, rows) = try pipe.take() {
                    try tx.insertTableRows(table, rows)
                    if !table.updates { counts[table.name, default: 0] += rows.count }
                }
                try tx.tableRowsCopied()
                return counts
            } catch {
                pipe.cancel(error)
                throw error
            }
        }
        do {
            try await source.read { reader in
                for table in BookTable.all {
                    var chunk: [[StoredValue]] = []
                    try reader.tableRows(table) { row in
                        chunk.append(row)
                        if chunk.count == Self.chunkRows {
                            try pipe.put(table, chunk)
                            chunk = []
                        }
                    }
                    if !chunk.isEmpty { try pipe.put(table, chunk) }
                }
                pipe.finish()
            }
        } catch {
            pipe.cancel(error)
            _ = try? await written
            throw error
        }
        let counts = try await written
        return BookTable.all.filter { !$0.updates }.map { ($0.name, counts[$0.name] ?? 0) }
    }
}

/// Chunks of rows handed from the reading transaction's thread to the writing one's, at most
/// `capacity` waiting; either side stopping with an error stops the other.
final class RowPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [(BookTable, [[StoredValue]])] = []
    private var finished = false
    private var failure: Error?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func put(_ table: BookTable, _ rows: [[StoredValue]]) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity, failure == nil { condition.wait() }
        if let failure { throw failure }
        chunks.append((table, rows))
        condition.broadcast()
    }

    /// The next chunk, or nil once the reader has finished and everything is taken.
    func take() throws -> (BookTable, [[StoredValue]])? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty, !finished, failure == nil { condition.wait() }
        if let failure { throw failure }
        guard !chunks.isEmpty else { return nil }
        condition.broadcast()
        return chunks.removeFirst()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func cancel(_ error: Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }
}
