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

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            guard !request.uri.path.hasPrefix("/api/"), problem.status != .unauthorized else { return problem.response }
            return renderer.page("error", title: problem.title, language: UILanguage.of(request), context: context,
                                 content: ErrorView(status: Int(problem.status.code), problemTitle: problem.title, detail: problem.detail,
                                                    errors: problem.errors.map { .init(field: $0.field, reason: $0.reason) }),
                                 status: problem.status)
        }
    }
}
