import Foundation
import Receivables

/// Carries an outbox message to the customer over one channel. Implementations do the I/O (a
/// sendmail-compatible command, an HTTP webhook, a letter file); a thrown error is a failed attempt.
public protocol OutboxTransport: Sendable {
    func deliver(_ message: StoredOutboxMessage) async throws
}

/// Why a transport could not deliver, in words fit for the outbox page.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = String(description.prefix(500)) }
}

/// What one pass of the sender did.
public struct OutboxPass: Hashable, Sendable {
    public var sent = 0
    public var retrying = 0
    public var failed = 0
    public init() {}
}

/// The outbox (待发消息): messages written with the dunning notices, sent afterwards with retries and
/// backoff, each with its status; listed, previewed and sent again from the outbox page and the CLI.
public struct Outbox: Sendable {
    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    /// After the last attempt fails the message is given up (status failed) until someone resends it.
    public static let attemptsMax = 8
    /// The wait after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 hours.
    public static func backoffSeconds(afterAttempt attempt: Int) -> Int64 {
        min(60 << Int64(min(max(attempt, 1) - 1, 20)), 6 * 3600)
    }
    public static let passSizeMax = 200
    /// A sender has this long to deliver what it claimed and record the attempts; after that another
    /// sender may take the messages again.
    public static let leaseSeconds: Int64 = 600

    /// Sends the messages due by `now` (epoch seconds) through the transport of their channel, one
    /// attempt each, and records every outcome. A channel without a transport fails the attempt.
    public func sendDue(now: Int64, transports: [DunningChannel: any OutboxTransport]) async throws -> OutboxPass {
        try caller.principal.require(.runDunning)
        let claim = (now: Timestamp.iso(now), lease: Timestamp.iso(now + Self.leaseSeconds))
        let due = try await storage.write { try $0.claimOutboxMessages(now: claim.now, leaseUntil: claim.lease, limit: Self.passSizeMax) }
        var pass = OutboxPass()
        for message in due {
            var failure: String?
            if let transport = transports[message.message.channel] {
                do { try await transport.deliver(message) } catch { failure = String(describing: error) }
            } else {
                failure = "no \(message.message.channel.rawValue) transport is configured"
            }
            let attempt = message.attempts + 1
            let next = failure == nil || attempt >= Self.attemptsMax ? nil : Timestamp.iso(now + Self.backoffSeconds(afterAttempt: attempt))
            switch (failure, next) {
            case (nil, _): pass.sent += 1
            case (_, nil): pass.failed += 1
            default: pass.retrying += 1
            }
            let at = Timestamp.iso(now), error = failure.map { String($0.prefix(500)) }
            try await storage.write { tx in try tx.recordOutboxAttempt(message.id, at: at, error: error, nextAttemptAt: next) }
        }
        return pass
    }

    /// Messages newest first, of the customers the caller sees.
    public func messages(status: OutboxStatus?, limit: Int = 100, before: StoredOutboxMessage.ID? = nil) async throws -> [StoredOutboxMessage] {
        let principal = caller.principal
        try principal.require(.readBook)
        guard (1...500).contains(limit) else { throw BookError.invalid(field: "limit", reason: "between 1 and 500") }
        return try await storage.read { reader in
            let directory = try reader.customerDirectory()
            return try reader.outboxMessages(status: status, limit: limit, before: before)
                .filter { directory[$0.message.customer].map(principal.sees) ?? false }
        }
    }

    public func message(_ id: StoredOutboxMessage.ID) async throws -> StoredOutboxMessage {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            guard let stored = try reader.outboxMessage(id: id), let customer = try reader.customer(id: stored.message.customer),
                  principal.sees(customer.collector) else {
                throw BookError.notFound(what: "message", key: id.description)
            }
            return stored
        }
    }

    /// Queues a message again for an attempt now (after a failure, or to send it once more).
    public func resend(_ id: StoredOutboxMessage.ID) async throws {
        let principal = caller.principal
        try await storage.writing(caller, .chase) { writer in
            guard let stored = try writer.tx.outboxMessage(id: id), let customer = try writer.tx.customer(id: stored.message.customer),
                  principal.sees(customer.collector) else {
                throw BookError.notFound(what: "message", key: id.description)
            }
            try writer.tx.requeueOutboxMessage(id, at: writer.caller.now())
            try writer.audit("resend", "outbox", key: id.description, after: nil)
        }
    }
}
