import Bookkeeping
import Foundation
import Hummingbird
import Mustache
import RequestInput

/// A form sent back to the person who filled it: what they typed, and what was wrong, each reason
/// beside its field and in the page's language. A page that holds several forms tells them apart by
/// `name`; a template reads `forms.NAME.values.FIELD` and `forms.NAME.errors.FIELD`.
struct FormState: MustacheParent, Sendable {
    let name: String
    let values: [String: String]
    let errors: [String: String]
    /// What was wrong that no field of the form shows: said above the form.
    let summary: [String]

    func child(named key: String) -> Any? {
        switch key {
        case "values": values
        case "errors": errors
        case "summary": summary.isEmpty ? nil : summary
        default: nil
        }
    }

    /// The state of form `name` sent with `values`, refused by `error`. A field the error names that
    /// is one of `fields` is shown beside it, anything else in the summary.
    init(_ name: String, values: [String: String], error: Error, fields: Set<String>, words: Words) {
        self.name = name
        self.values = values
        var errors: [String: String] = [:]
        var summary: [String] = []
        for issue in Self.issues(of: error) {
            let reason = words.reason(issue.reason)
            if let field = issue.field.flatMap({ Self.formField($0, fields) }) {
                errors[field] = errors[field].map { $0 + "; " + reason } ?? reason
            } else {
                summary.append(issue.field.map { words.field($0) + ": " + reason } ?? reason)
            }
        }
        self.errors = errors
        self.summary = summary
    }

    /// The field of the form an error names: itself, or the form's name for it (`issue_date` is
    /// the invoice's `issue`, a receipt's `reference` its number).
    private static func formField(_ field: String, _ fields: Set<String>) -> String? {
        if fields.contains(field) { return field }
        let aliases: [String: [String]] = ["issue": ["issue_date"], "due": ["due_date", "due"], "reference": ["reference"],
                                           "day": ["date", "issue_date"], "receipt": ["reference"], "invoice": ["invoice", "number"],
                                           "credit_note": ["number"], "number": ["number"]]
        return aliases[field]?.first(where: fields.contains)
    }

    /// The (field, reason) pairs of an error a form can show; nil field when it names none.
    static func issues(of error: Error) -> [(field: String?, reason: String)] {
        switch error {
        case let check as FieldCheck: return check.errors.map { ($0.field, $0.reason) }
        case let book as BookError:
            switch book {
            case .invalid(let field, let reason): return [(field, reason)]
            case .notFound(let what, _): return [(what, book.description)]
            case .duplicate(let field, _), .currencyMismatch(let field, _, _): return [(field, book.description)]
            case .allocation, .alreadyReversed: return [(nil, book.description)]
            case .forbidden, .notInitialized, .storage: return []
            }
        default: return []
        }
    }

    /// Whether a form can show `error` itself, so the page is sent again rather than an error page.
    static func isFormError(_ error: Error) -> Bool {
        !issues(of: error).isEmpty
    }
}

/// The fields of a form post as sent, for showing them again. Repeated names keep their last value.
enum FormBody {
    static func fields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first.map(decode), !key.isEmpty, key != "_csrf" else { continue }
            fields[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
