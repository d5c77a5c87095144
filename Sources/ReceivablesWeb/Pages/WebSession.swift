import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird

/// Cookie names and flags of browser sessions.
struct SessionCookies: Sendable {
    static let session = "arbook_session"
    /// Before sign-in there is no session to hold a CSRF token, so the sign-in form double-submits one.
    static let loginCSRF = "arbook_login_csrf"
    static let setupCSRF = "arbook_setup_csrf"
    /// Set when the server is reached over TLS (`--secure-cookies`, or a `--public-url` of https), so
    /// cookies never travel in clear.
    let secure: Bool

    /// The flags for one request: Secure also when a proxy says the browser came over TLS
    /// (`X-Forwarded-Proto: https`). A client that says so falsely only loses its own cookies on http.
    func on(_ request: Request) -> SessionCookies {
        guard !secure, request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" else { return self }
        return SessionCookies(secure: true)
    }

    func session(_ token: String) -> Cookie {
        Cookie(name: Self.session, value: token, maxAge: Int(Sessions.absoluteSeconds), path: "/", secure: secure,
               httpOnly: true, sameSite: .lax)
    }

    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func setupCSRF(_ token: String) -> Cookie {
        Cookie(name: Self.setupCSRF, value: token, maxAge: 3600, path: "/setup", secure: secure, httpOnly: true, sameSite: .strict)
    }

    func loginCSRF(_ token: String) -> Cookie {
        Cookie(name: Self.loginCSRF, value: token, maxAge: 3600, path: "/login", secure: secure, httpOnly: true, sameSite: .strict)
    }
}

/// Resumes the browser session of page requests; pages that need a user send the anonymous to /login.
struct SessionAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: Sessions
    let now: @Sendable () -> String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[SessionCookies.session]?.value,
              let (principal, csrf) = try await sessions.resume(token) else {
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
        var context = context
        context.caller = Caller(principal: principal, now: now)
        context.csrf = csrf
        return try await next(request, context)
    }
}

/// Refuses a form whose CSRF token is not `expected` (the session's, or a double-submitted cookie's).
func requireCSRF(_ given: String, matches expected: String?) throws {
    guard let expected, constantTimeEquals(expected, given) else {
        throw Problem(status: .forbidden, title: "Forbidden", detail: "the form's CSRF token is missing or wrong")
    }
}

/// Compares two secrets in time that does not depend on where they differ.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}

