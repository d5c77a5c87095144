import Bookkeeping
import BookSQL
import Foundation
import GRDB

/// Group commit: writes that arrive while another transaction commits wait, then run together in
/// the next transaction, each in a savepoint of its own, so that one fsync makes many of them
/// durable. A write that fails rolls back its savepoint only; every caller is answered after the
/// transaction that holds its write has committed (or with the error that stopped it).
final class GroupCommit: @unchecked Sendable {
    /// At most this many writes share a transaction.
    static let batchMax = 64

    private struct Pending {
        let work: @Sendable (any BookTransaction) throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, Error>
    }

    private let pool: DatabasePool
    private let settings: SettingsCache
    private let lock = NSLock()
    private var queue: [Pending] = []
    private var flushing = false

    init(pool: DatabasePool, settings: SettingsCache) {
        self.pool = pool
        self.settings = settings
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (any BookTransaction) throws -> T) async throws -> T {
        let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, Error>) in
            let start = lock.withLock {
                queue.append(Pending(work: { try work($0) }, continuation: continuation))
                defer { flushing = true }
                return !flushing
            }
            if start { Task.detached { await self.drain() } }
        }
        guard let typed = result as? T else { throw StorageError(code: .unavailable, message: "a write returned an unexpected value") }
        return typed
    }

    /// Runs batches until nothing is waiting.
    private func drain() async {
        while true {
            let batch = nextBatch()
            guard !batch.isEmpty else { return }
            await run(batch)
        }
    }

    /// Takes the writes waiting now; with none left, marks the drain as finished.
    private func nextBatch() -> [Pending] {
        lock.withLock {
            let batch = Array(queue.prefix(Self.batchMax))
            queue.removeFirst(batch.count)
            if batch.isEmpty { flushing = false }
            return batch
        }
    }

    private func run(_ batch: [Pending]) async {
        let results = ResultBox(count: batch.count)
        let settings = settings
        do {
            try await pool.write { db in
                for (index, pending) in batch.enumerated() {
                    do {
                        try db.inSavepoint {
                            results.values[index] = .success(try pending.work(SQLiteTransaction(db, settings: settings)))
                            return .commit
                        }
                    } catch {
                        results.values[index] = .failure(error is DatabaseError ? SQLiteBook.storageError(error) : error)
                    }
                }
            }
        } catch {
            // The commit itself failed: nothing of the batch is durable.
            let failure = SQLiteBook.storageError(error)
            for pending in batch { pending.continuation.resume(throwing: failure) }
            return
        }
        for (index, pending) in batch.enumerated() {
            switch results.values[index] {
            case .success(let value): pending.continuation.resume(returning: value)
            case .failure(let error): pending.continuation.resume(throwing: error)
            case nil: pending.continuation.resume(throwing: StorageError(code: .unavailable, message: "a write was not run"))
            }
        }
    }
}

/// The results of one batch, filled in on the writer's thread and read after the commit.
private final class ResultBox: @unchecked Sendable {
    var values: [Result<any Sendable, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
}
