import Bookkeeping
import Foundation
import Hummingbird
import Interchange
import NIOCore
import Receivables
import RequestInput

/// An error answered as `application/problem+json` (RFC 9457), with the fields that were wrong.
struct Problem: Error, Sendable {
    struct FieldError: Sendable {
        let field: String
        let reason: String
        var line: Int?
    }

    let status: HTTPResponse.Status
    let title: String
    let detail: String
    var errors: [FieldError] = []

    static let unauthorized = Problem(status: .unauthorized, title: "Authentication required",
                                      detail: "send Authorization: Bearer <token>")

    var response: Response {
        var members: [(String, JSONText)] = [("type", .string("about:blank")), ("title", .string(title)),
                                             ("status", .int(Int64(status.code))), ("detail", .string(detail))]
        if !errors.isEmpty {
            members.append(("errors", .array(errors.map { error in
                .object([("field", .string(error.field)), ("reason", .string(error.reason))]
                        + (error.line.map { [("line", JSONText.int(Int64($0)))] } ?? []))
            })))
        }
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONText.object(members).render())))
    }

    /// Every error a route can meet, mapped to its answer in one place. Nothing internal is shown.
    static func from(_ error: Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let book as BookError:
            return from(book)
        case let check as FieldCheck:
            return Problem(status: .unprocessableContent, title: "Invalid request",
                           detail: check.errors.map { "\($0.field): \($0.reason)" }.joined(separator: "; "),
                           errors: check.errors.map { FieldError(field: $0.field, reason: $0.reason) })
        case let failure as ImportFailure:
            return Problem(status: .unprocessableContent, title: "The file was not imported",
                           detail: "\(failure.issueCount) bad row(s); nothing was written",
                           errors: failure.issues.map { FieldError(field: $0.column, reason: $0.reason, line: $0.line) })
        case let http as HTTPError:
            return Problem(status: http.status, title: http.status.reasonPhrase, detail: http.body ?? http.status.reasonPhrase)
        case is NIOTooManyBytesError:
            return Problem(status: .contentTooLarge, title: "Content too large",
                           detail: "the request's body is larger than this route takes (JSON and forms \(Limits.requestBytesMax >> 20) MiB, files \(Uploads.bytesMax >> 20) MiB)")
        case MoneyError.overflow:
            return Problem(status: .internalServerError, title: "A total is too large",
                           detail: "a sum passes \(Money.decimalString(.max, exponent: 2, grouping: true)) (64 bits of minor units), the most arbook can show exactly")
        case is DecodingError:
            return Problem(status: .badRequest, title: "Malformed request", detail: "the body is not the JSON this route takes",
                           errors: [FieldError(field: Self.path(of: error), reason: "missing or of the wrong type")])
        default:
            return Problem(status: .internalServerError, title: "Internal error", detail: "the request could not be completed")
        }
    }

    private static func from(_ error: BookError) -> Problem {
        switch error {
        case .notFound:
            return Problem(status: .notFound, title: "Not found", detail: error.description)
        case .invalid(let field, let reason):
            return Problem(status: .unprocessableContent, title: "Invalid request", detail: error.description,
                           errors: [FieldError(field: field, reason: reason)])
        case .duplicate(let field, _), .currencyMismatch(let field, _, _):
            return Problem(status: .unprocessableContent, title: "Invalid request", detail: error.description,
                           errors: [FieldError(field: field, reason: error.description)])
        case .allocation, .alreadyReversed:
            return Problem(status: .unprocessableContent, title: "Refused by the book's rules", detail: error.description)
        case .forbidden:
            return Problem(status: .forbidden, title: "Forbidden", detail: error.description)
        case .notInitialized, .storage:
            return Problem(status: .serviceUnavailable, title: "The book is unavailable", detail: "try again later")
        }
    }

    private static func path(of error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "body" }
        switch decoding {
        case .keyNotFound(let key, let context): return (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.map(\.stringValue).joined(separator: ".").isEmpty ? "body"
                : context.codingPath.map(\.stringValue).joined(separator: ".")
        @unknown default: return "body"
        }
    }
}

/// Answers every thrown error: as a problem document on the API, as an error page elsewhere.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: Renderer
    /// To show a signed-in user's navigation on an error page of a route that no signed-in group
    /// answers (a mistyped address).
    let sessions: Sessions
    let now: @Sendable () -> String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            guard !request.uri.path.hasPrefix("/api/"), problem.status != .unauthorized else { return problem.response }
            var context = context
            if context.caller == nil, let token = request.cookies[SessionCookies.session]?.value,
               let (principal, csrf) = try? await sessions.resume(token) {
                context.caller = Caller(principal: principal, now: now)
                context.csrf = csrf
            }
            let view = Self.errorView(error, problem, words: Words(UILanguage.of(request)), role: context.caller?.principal.role)
            return renderer.page("error", title: view.problemTitle, request: request, context: context, content: view, status: problem.status)
        }
    }

    /// The error page of `error` in the reader's words: a title per status, and the reason a rule
    /// gave (a forbidden action says which role cannot do what, never a permission's code name).
    static func errorView(_ error: Error, _ problem: Problem, words: Words, role: Role?) -> ErrorView {
        let code = Int(problem.status.code)
        let title = words["error_\(code)", or: words["error_other", or: problem.title]]
        var detail: String
        var errors: [String] = []
        switch error {
        case BookError.forbidden(let permission):
            detail = words["forbidden_because", or: "Your role cannot do this:"] + " " + words.permission(permission)
                + (role.map { " (" + words.role($0) + ")" } ?? "")
        case BookError.notFound(let what, let key):
            detail = words.reason("\(what) '\(key)' does not exist")
        default:
            let issues = FormState.issues(of: error)
            if issues.isEmpty {
                detail = words["error_detail_\(code)", or: code >= 500 ? words["error_detail_500", or: problem.detail] : problem.detail]
            } else {
                detail = words["error_detail_422", or: problem.detail]
                errors = issues.map { ($0.field.map { words.field($0) + ": " } ?? "") + words.reason($0.reason) }
            }
        }
        return ErrorView(status: code, problemTitle: title, detail: detail, errors: errors)
    }
}
