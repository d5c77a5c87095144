import Bookkeeping
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Receivables

/// Renders the pages from the Mustache templates shipped with the module. Every page gets the
/// words of its language (`t`), the signed-in user, the CSRF token and the language switch.
struct Renderer: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Renderer {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw HTTPError(.internalServerError, message: "templates missing")
        }
        return Renderer(library: try await MustacheLibrary(directory: folder.path))
    }

    func page(_ template: String, title: String, language: UILanguage, context: AppRequestContext,
              values: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        let strings = language.strings
        var object = values
        object["t"] = strings
        object["title"] = strings[title] ?? title
        object["lang"] = language.htmlTag
        object["other_lang"] = language.other.rawValue
        object["other_lang_name"] = language.otherName
        // Only a signed-in page gets `user`: an Optional wrapped in Any would count as present.
        if let caller = context.caller {
            object["user"] = ["name": caller.principal.name, "role": caller.principal.role.rawValue,
                              "can_audit": caller.principal.role.allows(.readAudit)]
        }
        object["csrf"] = context.csrf ?? ""
        let html = library.render(object, withTemplate: template) ?? "template \(template) failed"
        // The framing, referrer and caching headers come from `SecurityHeadersMiddleware`, as on every answer.
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8",
                                                  .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Amounts and days as people read them: ¥1,234.56 for CNY, the code in front for others.
enum Display {
    static func money(_ minorUnits: Int64, _ currency: Currency) -> String {
        let text = Money.decimalString(minorUnits, exponent: currency.exponent, grouping: true)
        let symbol = currency == .cny ? "¥" : currency.code + " "
        return minorUnits < 0 ? "-" + symbol + text.dropFirst() : symbol + text
    }
}
