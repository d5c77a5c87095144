import Bookkeeping
import Hummingbird

/// Sets the caller from `Authorization: Bearer <token>`; refuses the request without a live token.
struct TokenAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let storage: any BookStorage
    let now: @Sendable () -> String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let principal = try await Tokens.principal(for: String(header.dropFirst("Bearer ".count)), storage: storage) else {
            throw Problem.unauthorized
        }
        var context = context
        context.caller = Caller(principal: principal, now: now)
        return try await next(request, context)
    }
}
