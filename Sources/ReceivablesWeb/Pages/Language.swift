import Hummingbird

/// The two languages of the interface. Chosen by the `lang` cookie (the switch), else by
/// Accept-Language, else English.
public enum UILanguage: String, CaseIterable, Sendable {
    case en
    case zh

    static let cookie = "lang"

    static func of(_ request: Request) -> UILanguage {
        if let chosen = request.cookies[cookie].flatMap({ UILanguage(rawValue: $0.value) }) { return chosen }
        let accepted = request.headers[.acceptLanguage] ?? ""
        for part in accepted.split(separator: ",") {
            let tag = part.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            if tag.hasPrefix("zh") { return .zh }
            if tag.hasPrefix("en") { return .en }
        }
        return .en
    }

    /// The words of every page in this language.
    var strings: [String: String] { self == .en ? Self.english : Self.chinese }
    private static let english = Strings.table.mapValues(\.en)
    private static let chinese = Strings.table.mapValues(\.zh)

    var htmlTag: String { self == .en ? "en" : "zh-CN" }
    var other: UILanguage { self == .en ? .zh : .en }
    var otherName: String { self == .en ? "中文" : "English" }
}
