import Hummingbird
import MultipartKit

/// The one place a page form's CSRF token is checked: every POST (or other unsafe method) under this
/// middleware must carry `_csrf` equal to what `expected` names — the signed-in session's token, or
/// before sign-in the token double-submitted in a cookie. The body is read once (bounded) and left in
/// the request for the handler, which then decodes its form without thinking of CSRF.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    enum Expected: Sendable {
        /// The token of the session the request resumed.
        case session
        /// The token in this cookie (sign-in and first set-up, where there is no session yet).
        case cookie(String)
    }

    let expected: Expected

    init(_ expected: Expected) {
        self.expected = expected
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        var request = request
        let given = try await Self.token(in: &request) ?? ""
        switch expected {
        case .session: try requireCSRF(given, matches: context.csrf)
        case .cookie(let name): try requireCSRF(given, matches: request.cookies[name]?.value)
        }
        return try await next(request, context)
    }

    private struct TokenField: Decodable { let _csrf: String }

    /// The `_csrf` field of a URL-encoded or multipart form; nil when there is none.
    static func token(in request: inout Request) async throws -> String? {
        let type = request.headers[.contentType] ?? ""
        if type.hasPrefix("multipart/form-data") {
            let body = try await request.collectBody(upTo: Uploads.bytesMax)
            guard let boundary = type.components(separatedBy: "boundary=").last, !boundary.isEmpty else { return nil }
            return try? FormDataDecoder().decode(TokenField.self, from: body, boundary: boundary)._csrf
        }
        let body = try await request.collectBody(upTo: Limits.requestBytesMax)
        return try? URLEncodedFormDecoder().decode(TokenField.self, from: String(buffer: body))._csrf
    }
}
