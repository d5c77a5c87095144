import Bookkeeping
import Foundation
import Logging
import Receivables
import ServiceLifecycle

/// The collections work `arbook serve` does by itself: the dunning run once a day from a set hour, and
/// the outbox sent every `interval` seconds with retries. Returns when the server shuts down.
public struct CollectionsService: Service {
    let storage: any BookStorage
    let transports: [DunningChannel: any OutboxTransport]
    /// The local hour (0–23) from which the day's run is done; nil: never (run it from the CLI).
    let dunningHour: Int?
    let interval: Duration
    let clock: @Sendable () -> Int64
    let today: @Sendable () -> Day
    let hour: @Sendable () -> Int
    let logger: Logger
    /// The day whose plan waits for a manager's approval, and when the scheduler last looked: it looks
    /// again after `approvalRecheck`, not on every pass (a manager who approves runs it at once).
    let waiting = WaitingDay()
    static let approvalRecheckSeconds: Int64 = 600

    /// A day that waits for approval, and when that was last seen. Shared by the passes of one server.
    final class WaitingDay: @unchecked Sendable {
        private let lock = NSLock()
        private var day: Day?
        private var seenAt: Int64 = 0

        /// Whether `day` was found waiting less than `seconds` before `now`.
        func isFresh(_ day: Day, now: Int64, seconds: Int64) -> Bool {
            lock.withLock { self.day == day && now - seenAt < seconds }
        }

        func set(_ day: Day?, now: Int64) {
            lock.withLock {
                self.day = day
                seenAt = now
            }
        }
    }

    public init(storage: any BookStorage, transports: [DunningChannel: any OutboxTransport], dunningHour: Int?,
                interval: Duration = .seconds(30), clock: @escaping @Sendable () -> Int64, today: @escaping @Sendable () -> Day,
                hour: @escaping @Sendable () -> Int = { Calendar.current.component(.hour, from: Date()) }, logger: Logger) {
        self.storage = storage
        self.transports = transports
        self.dunningHour = dunningHour
        self.interval = interval
        self.clock = clock
        self.today = today
        self.hour = hour
        self.logger = logger
    }

    /// Runs a tick every `interval` until the server shuts down gracefully (SIGTERM, SIGINT), then
    /// returns: a tick under way finishes first, and the shutdown is not an error.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                // Cancelled by the shutdown: the loop ends.
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One round: the day's run if its hour has come (a day runs once, whatever the number of servers),
    /// then the messages due.
    func tick() async {
        let clock = clock
        let caller = Caller(principal: Principal(user: nil, name: "scheduler", role: .admin), now: { Timestamp.iso(clock()) })
        if let dunningHour, hour() >= dunningHour, !waiting.isFresh(today(), now: clock(), seconds: Self.approvalRecheckSeconds) {
            do {
                let outcome = try await Collections(storage: storage, caller: caller).run(asOf: today())
                waiting.set(outcome.awaitingApproval.isEmpty ? nil : outcome.day, now: clock())
                if !outcome.awaitingApproval.isEmpty {
                    // Nothing is sent until a manager approves the plan on the dunning page (or `arbook dunning run --approve`).
                    logger.notice("dunning run waits for approval", metadata: [
                        "day": "\(outcome.day)", "reasons": "\(outcome.awaitingApproval.map(\.description).joined(separator: "; "))"])
                } else if !outcome.alreadyRun {
                    logger.info("dunning run", metadata: ["day": "\(outcome.day)", "notices": "\(outcome.notices.count)",
                                                          "messages": "\(outcome.messages)", "fees": "\(outcome.feeInvoices.count)"])
                }
            } catch {
                logger.error("dunning run failed", metadata: ["error": "\(error)"])
            }
        }
        do {
            // Where writers run side by side (PostgreSQL), the hash chains are extended here.
            try await AuditChain.seal(storage)
        } catch {
            logger.error("sealing the audit chain failed", metadata: ["error": "\(error)"])
        }
        do {
            let pass = try await Outbox(storage: storage, caller: caller).sendDue(now: clock(), transports: transports)
            if pass != OutboxPass() {
                logger.info("outbox", metadata: ["sent": "\(pass.sent)", "retrying": "\(pass.retrying)", "failed": "\(pass.failed)"])
            }
        } catch {
            logger.error("outbox failed", metadata: ["error": "\(error)"])
        }
    }
}
