import Bookkeeping
import Mustache

/// What a template renders: the frame every page shares and the page's own view model.
///
/// A template's names are looked up in the frame first (`t`, `title`, `lang`, `otherLang`,
/// `otherLangName`, `user`, `csrf`), then among the stored properties of `content`, a value type
/// of the page (`DashboardView`, `AgingView`, …). An optional property that is nil reads as absent,
/// so `{{#discount}}…{{/discount}}` shows only when there is a discount.
struct PageView<Content>: MustacheParent {
    let frame: PageFrame
    let content: Content

    func child(named name: String) -> Any? {
        if let value = frame.child(named: name) { return value }
        guard let property = Mirror(reflecting: content).children.first(where: { $0.label == name }) else { return nil }
        return Self.unwrapped(property.value)
    }

    /// The value an Optional holds, nil for nil; any other value as it is.
    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrapped($0.value) } ?? nil
    }
}

/// The parts of a page outside its content: the words of its language, its title, the language
/// switch, the signed-in user (absent on the sign-in and set-up pages) and the session's CSRF token.
struct PageFrame {
    /// The signed-in user, and what the navigation and forms offer them: what a role cannot do is not shown.
    struct User {
        let name: String
        let role: String
        let canAudit: Bool
        let canWrite: Bool
        let canChase: Bool
        let canDun: Bool
        let canConfigure: Bool
        let isCollector: Bool
        let canAdminister: Bool

        init(principal: Principal, words: Words) {
            name = principal.displayName ?? principal.name
            role = words.role(principal.role)
            canAudit = principal.role.allows(.readAudit)
            canWrite = principal.role.allows(.writeBook)
            canChase = principal.role.allows(.chase)
            canDun = principal.role.allows(.runDunning)
            canConfigure = principal.role.allows(.configureCollections)
            isCollector = principal.role == .collector
            canAdminister = principal.role.allows(.manageUsers)
        }
    }

    let t: [String: String]
    let title: String
    let lang: String
    let otherLang: String
    let otherLangName: String
    let user: User?
    let csrf: String
    /// The form sent back, under its name.
    let forms: [String: FormState]
    /// What the last form did ("Invoice issued INV-1").
    let notice: String?
    /// This page's path and query (the language switch returns here).
    let here: String

    func child(named name: String) -> Any? {
        switch name {
        case "t": t
        case "title": title
        case "lang": lang
        case "otherLang": otherLang
        case "otherLangName": otherLangName
        case "user": user
        case "csrf": csrf
        case "forms": forms
        case "notice": notice
        case "here": here
        default: nil
        }
    }
}
