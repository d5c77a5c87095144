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

    /// The folder the templates ship in.
    static func templatesFolder() -> URL? { Bundle.module.url(forResource: "Templates", withExtension: nil) }

    static func load() async throws -> Renderer {
        guard let folder = templatesFolder() else {
            throw HTTPError(.internalServerError, message: "templates missing")
        }
        return Renderer(library: try await MustacheLibrary(directory: folder.path))
    }

    /// The page `template` with its view model `content`, in the frame every page shares, in the
    /// request's language; `form` is a form sent back with what was typed and what was wrong.
    func page<Content>(_ template: String, title: String, request: Request, context: AppRequestContext,
                       content: Content, form: FormState? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let language = UILanguage.of(request)
        let words = Words(language)
        let user = context.caller.map { caller in
            PageFrame.User(principal: caller.principal, words: words)
        }
        let frame = PageFrame(t: words.table, title: words[title, or: title], lang: language.htmlTag, otherLang: language.other.rawValue,
                              otherLangName: language.otherName, user: user, csrf: context.csrf ?? "",
                              forms: form.map { [$0.name: $0] } ?? [:], notice: Self.notice(request, words),
                              here: Self.here(request))
        let html = library.render(PageView(frame: frame, content: content), withTemplate: template) ?? "template \(template) failed"
        // The framing, referrer and caching headers come from `SecurityHeadersMiddleware`, as on every answer.
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8",
                                                  .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// What a form that changed the book did, said on the page it sends the browser to:
    /// `?done=KEY&ref=NUMBER` shows the string `done_KEY` and the document's number. Unknown keys show nothing.
    static func notice(_ request: Request, _ words: Words) -> String? {
        let query = request.uri.queryParameters
        guard let key = query.get("done"), let text = words.table["done_\(key)"] else { return nil }
        let reference = query.get("ref").map { String($0.prefix(64)) } ?? ""
        return reference.isEmpty ? text : text + " " + reference
    }

    /// The page's path and query, percent-encoded for a query value: the language switch sends the
    /// browser back here. A form's answer (a post) goes back to the page's own address instead.
    static func here(_ request: Request) -> String {
        let path = request.uri.path
        guard path.hasPrefix("/"), !path.hasPrefix("//"), request.method == .get else { return "%2F" }
        let query = request.uri.query.map { "?" + $0 } ?? ""
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return String((path + query).prefix(1000)).addingPercentEncoding(withAllowedCharacters: allowed) ?? "%2F"
    }
}

/// Amounts as people read them: ¥1,234.56 for CNY, the code in front for others.
enum Display {
    static func money(_ money: Money) -> String { money.displayString }

    /// Sums in several currencies, the book's first: "¥1,200.00 · USD 30.00"; "–" for none.
    static func sums(_ sums: [Currency: Money]) -> String {
        guard !sums.isEmpty else { return "–" }
        return sums.keys.sorted { ($0 == .cny ? "" : $0.code) < ($1 == .cny ? "" : $1.code) }.map { money(sums[$0]!) }.joined(separator: " · ")
    }

    /// An amount, or nothing for zero: the debit and credit columns of a ledger.
    static func moneyUnlessZero(_ money: Money) -> String { money.isZero ? "" : Self.money(money) }
}

extension Display {
    /// The book's time zone: audit times are stored in UTC and shown in it (China's, as most books keep).
    static let bookTimeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current

    /// An ISO 8601 UTC time ("2026-11-22T00:00:00Z") as the book's local time ("2026-11-22 08:00:00"); as
    /// stored when it is not one.
    static func time(_ iso: String, in zone: TimeZone = bookTimeZone) -> String {
        let parser = ISO8601DateFormatter()
        guard let date = parser.date(from: iso) else { return iso }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let two = { (value: Int?) in String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }
}

/// An audit record's before and after (JSON objects) as lines people read: "Name: A → B" for what
/// changed, "Name: B" for what was set, the field's name in the reader's words and the values as the
/// book recorded them (terms and yes/no in the reader's words; names, logins and texts are the book's data).
enum AuditChanges {
    struct Change {
        let label: String
        let value: String
    }

    static func lines(before: String?, after: String?, words: Words) -> [Change] {
        let old = object(before), new = object(after)
        guard old != nil || new != nil else {
            return [before, after].compactMap { $0 }.filter { !$0.isEmpty && $0 != "null" }.map { Change(label: "", value: $0) }
        }
        var lines: [Change] = []
        for key in Set((old ?? [:]).keys).union((new ?? [:]).keys).sorted() {
            let was = old?[key].map { text($0, key: key, words: words) }, now = new?[key].map { text($0, key: key, words: words) }
            guard was != now else { continue }
            let name = words.field(key)
            switch (was, now) {
            case let (was?, now?): lines.append(Change(label: name, value: "\(was) → \(now)"))
            case let (nil, now?): lines.append(Change(label: name, value: now))
            case let (was?, nil): lines.append(Change(label: name, value: "\(was) → –"))
            default: break
            }
        }
        return lines
    }

    static func object(_ json: String?) -> [String: Any]? {
        guard let json, let data = json.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func text(_ value: Any, key: String, words: Words) -> String {
        switch value {
        case let string as String where key == "terms":
            (try? PaymentTerms.parse(string)).map(words.terms) ?? string
        case let string as String: string.isEmpty ? "–" : string
        case is NSNull: "–"
        // JSON's true and false (a number whose type is a C char), not 1 and 0.
        case let number as NSNumber where String(cString: number.objCType) == "c":
            number.boolValue ? words["yes", or: "yes"] : words["no", or: "no"]
        case let number as NSNumber: number.stringValue
        case let list as [Any]: list.map { text($0, key: key, words: words) }.joined(separator: ", ")
        case let object as [String: Any]:
            object.keys.sorted().map { "\(words.field($0)): \(text(object[$0]!, key: $0, words: words))" }.joined(separator: "; ")
        default: "\(value)"
        }
    }
}
