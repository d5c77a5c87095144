import HTTPTypes
import Hummingbird

/// The headers every answer carries, whatever route made it (pages, the API, exports, errors): no MIME
/// sniffing, no referrer to other sites, never framed, never cached (every answer holds a customer's
/// data), and on HTML a content security policy that also forbids framing, posting forms elsewhere and
/// changing the base URL. A route may set a stricter policy of its own (the printable letter does);
/// the framing, form and base rules are added to it.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static var fixed: [(HTTPField.Name, String)] {
        [(.xContentTypeOptions, "nosniff"), (HTTPField.Name("Referrer-Policy")!, "same-origin"), (HTTPField.Name("X-Frame-Options")!, "DENY")]
    }
    static let framing = "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        Self.secure(&response.headers)
        return response
    }

    static func secure(_ headers: inout HTTPFields) {
        for (name, value) in fixed { headers[name] = value }
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        if let policy = headers[.contentSecurityPolicy] {
            if !policy.contains("frame-ancestors") { headers[.contentSecurityPolicy] = policy + "; " + framing }
        } else {
            headers[.contentSecurityPolicy] = "default-src 'none'; " + framing
        }
    }
}
