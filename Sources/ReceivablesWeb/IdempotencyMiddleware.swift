import Bookkeeping
import Crypto
import HTTPTypes
import Hummingbird
import NIOCore

/// POSTs with an `Idempotency-Key` header answer once: a repeat with the same body gets the first
/// answer again and writes nothing; the same key with another body is refused.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!
    let storage: any BookStorage

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[Self.header] else { return try await next(request, context) }
        let keys = IdempotencyKeys(storage: storage, caller: try context.requireCaller())
        var request = request
        let body = try await request.collectBody(upTo: Limits.requestBytesMax)
        var hasher = SHA256()
        // The request's fingerprint is its method, path, query and body: a dry run and the real import
        // under one key differ by their query.
        hasher.update(data: Array("\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "")\n".utf8))
        hasher.update(data: Array(buffer: body))
        let hash = hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        switch try await keys.claim(key: key, requestHash: hash) {
        case .replay(let previous):
            var headers: HTTPFields = [.contentType: previous.contentType ?? "application/json", Self.replayed: "true"]
            headers[Self.header] = key
            return Response(status: .init(code: previous.status ?? 200), headers: headers,
                            body: .init(byteBuffer: ByteBuffer(bytes: previous.body)))
        case .conflict(let reason):
            throw Problem(status: .conflict, title: "Idempotency-Key conflict", detail: reason)
        case .fresh:
            break
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            try await keys.release(key: key)
            throw error
        }
        // Only answers that wrote something are kept; a refused request may be corrected and sent again.
        guard (200..<300).contains(response.status.code) else {
            try await keys.release(key: key)
            return response
        }
        let collected = CollectedBytes()
        try await response.body.write(BodyCollector(into: collected))
        try await keys.complete(key: key, status: response.status.code,
                                contentType: response.headers[.contentType] ?? "application/json", body: collected.bytes)
        var copy = response
        copy.body = .init(byteBuffer: ByteBuffer(bytes: collected.bytes))
        return copy
    }
}

/// The bytes of a response body, gathered so that they can be stored and sent again.
final class CollectedBytes: @unchecked Sendable {
    var bytes: [UInt8] = []
}

struct BodyCollector: ResponseBodyWriter {
    let into: CollectedBytes
    mutating func write(_ buffer: ByteBuffer) async throws { into.bytes += Array(buffer: buffer) }
    mutating func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
        for buffer in buffers { into.bytes += Array(buffer: buffer) }
    }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
