/// What the book remembers of a request sent with an idempotency key.
public struct IdempotentResult: Hashable, Sendable {
    public let requestHash: String
    /// nil while the first request is still being answered.
    public let status: Int?
    public let contentType: String?
    public let body: [UInt8]
    public init(requestHash: String, status: Int?, contentType: String?, body: [UInt8]) {
        self.requestHash = requestHash
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

public protocol IdempotencyQueries {
    func idempotentResult(principal: String, key: String) throws -> IdempotentResult?
}

public protocol IdempotencyWrites {
    /// Claims a key for a request; throws `StorageError.duplicate` when it was claimed before.
    func claimIdempotencyKey(principal: String, key: String, requestHash: String, at: String) throws
    func completeIdempotencyKey(principal: String, key: String, status: Int, contentType: String, body: [UInt8]) throws
    func releaseIdempotencyKey(principal: String, key: String) throws
}

/// Requests that carry an `Idempotency-Key`: the same key with the same request answers what the
/// first answered and writes nothing; the same key with another request is refused.
public struct IdempotencyKeys: Sendable {
    public static let keyLengthMax = 200

    public enum Claim: Sendable, Equatable {
        /// First time: go ahead, then `complete` or `release`.
        case fresh
        /// Answered before: send this again.
        case replay(IdempotentResult)
        /// The same key was used for a different request, or the first is still running.
        case conflict(String)
    }

    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    private var owner: String { "\(caller.principal.user.map(String.init) ?? "-"):\(caller.principal.name)" }

    public func claim(key: String, requestHash: String) async throws -> Claim {
        guard !key.isEmpty, key.utf8.count <= Self.keyLengthMax else {
            throw BookError.invalid(field: "Idempotency-Key", reason: "1 to \(Self.keyLengthMax) bytes")
        }
        let owner = owner
        let at = caller.now()
        return try await storage.write { tx in
            if let previous = try tx.idempotentResult(principal: owner, key: key) {
                guard previous.requestHash == requestHash else {
                    return .conflict("this Idempotency-Key was used for a different request")
                }
                guard previous.status != nil else { return .conflict("the first request with this Idempotency-Key is still running") }
                return .replay(previous)
            }
            try tx.claimIdempotencyKey(principal: owner, key: key, requestHash: requestHash, at: at)
            return .fresh
        }
    }

    public func complete(key: String, status: Int, contentType: String, body: [UInt8]) async throws {
        let owner = owner
        try await storage.write { tx in
            try tx.completeIdempotencyKey(principal: owner, key: key, status: status, contentType: contentType, body: body)
        }
    }

    /// Forgets a claim whose request failed before answering, so that it may be sent again.
    public func release(key: String) async throws {
        let owner = owner
        try await storage.write { tx in try tx.releaseIdempotencyKey(principal: owner, key: key) }
    }
}
