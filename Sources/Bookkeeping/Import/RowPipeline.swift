import Foundation
import Interchange

/// Reads and prepares rows on a thread of its own and hands them over in batches through a bounded
/// buffer, so that parsing uses the second core while the writer thread writes. Memory stays flat:
/// at most `batchesMax` batches of `batchSize` rows wait at any time.
final class RowPipeline: @unchecked Sendable {
    enum Item {
        case row(line: Int, PreparedRow)
        case issue(ImportIssue)
    }

    static let batchSize = 512
    static let batchesMax = 16

    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var finished = false
    private var cancelled = false
    private var running = true

    /// Starts reading at once. `reader` is used by the pipeline's thread only from now on.
    init(reader: CSVReader, preparer: RowPreparer) {
        let source = UncheckedReader(reader: reader)
        let thread = Thread { [self] in
            self.produce(source.reader, preparer)
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func produce(_ reader: CSVReader, _ preparer: RowPreparer) {
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        do {
            while let record = try reader.next() {
                switch preparer.prepare(record) {
                case .success(let row): batch.append(.row(line: record.line, row))
                case .failure(let issue): batch.append(.issue(issue))
                }
                if batch.count == Self.batchSize {
                    guard send(batch) else { return finish() }
                    batch.removeAll(keepingCapacity: true)
                }
            }
        } catch let error as CSVError {
            batch.append(.issue(ImportIssue(line: error.line, column: "file", reason: error.reason)))
        } catch let error as FileReadError {
            batch.append(.issue(ImportIssue(line: 0, column: "file", reason: error.description)))
        } catch {
            batch.append(.issue(ImportIssue(line: 0, column: "file", reason: "\(error)")))
        }
        if !batch.isEmpty { _ = send(batch) }
        finish()
    }

    /// Waits for room; false when the consumer has gone.
    private func send(_ batch: [Item]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.batchesMax && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    private func finish() {
        condition.lock()
        finished = true
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in file order, or nil when the file is done.
    func next() -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Stops the reader thread (if it still runs) and waits for it to end, so that nothing reads
    /// the file after the import's transaction is over.
    func close() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}

/// The CSV reader crossing to the pipeline's thread, which is its only user from then on.
private struct UncheckedReader: @unchecked Sendable {
    let reader: CSVReader
}
