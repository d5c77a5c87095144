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

    /// The page `template` with its view model `content`, in the frame every page shares.
    func page<Content>(_ template: String, title: String, language: UILanguage, context: AppRequestContext,
                       content: Content, status: HTTPResponse.Status = .ok) -> Response {
        let strings = language.strings
        let user = context.caller.map { caller in
            PageFrame.User(name: caller.principal.name, role: strings["role_\(caller.principal.role.rawValue)"] ?? caller.principal.role.rawValue,
                           canAudit: caller.principal.role.allows(.readAudit))
        }
        let frame = PageFrame(t: strings, title: strings[title] ?? title, lang: language.htmlTag, otherLang: language.other.rawValue,
                              otherLangName: language.otherName, user: user, csrf: context.csrf ?? "")
        let html = library.render(PageView(frame: frame, content: content), withTemplate: template) ?? "template \(template) failed"
        // The framing, referrer and caching headers come from `SecurityHeadersMiddleware`, as on every answer.
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8",
                                                  .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Amounts as people read them: ¥1,234.56 for CNY, the code in front for others.
enum Display {
    static func money(_ money: Money) -> String {
        let text = money.groupedDecimalString
        let symbol = money.currency == .cny ? "¥" : money.currency.code + " "
        return money.isNegative ? "-" + symbol + text.dropFirst() : symbol + text
    }

    /// An amount, or nothing for zero: the debit and credit columns of a ledger.
    static func moneyUnlessZero(_ money: Money) -> String { money.isZero ? "" : Self.money(money) }
}
