import Foundation
import Receivables

/// A dunning policy as JSON, the form it is stored and configured in:
///
///     {"name": "default", "late_fee": {"daily_rate_ppm": 500, "grace_days": 7, "cap_bp": 2000},
///      "levels": [{"name": "reminder", "days": 1, "channels": ["email"], "fee": "50.00",  (or "500 JPY": a fee in one currency)
///                  "interest": true, "actions": ["credit_hold"]}, …]}
struct PolicyDefinition: Codable {
    struct Level: Codable {
        let name: String
        let days: Int
        let channels: [String]
        let fee: String?
        let interest: Bool?
        let actions: [String]?
        let templates: [String: Template]?
    }
    struct Template: Codable {
        let subject: String
        let body: String
    }
    struct LateFee: Codable {
        let daily_rate_ppm: Int64
        let grace_days: Int?
        let cap_bp: Int64?
    }
    let name: String
    let levels: [Level]
    let late_fee: LateFee?

    static let textMax = 64 * 1024

    /// Reads and checks a definition; every error names the field and the rule.
    /// A level's fee: "50.00" in the book's currency, or with a currency named ("500 JPY", "USD 8.00").
    static func fee(_ text: String, bookCurrency: Currency, field: String) throws -> Money {
        let parts = text.split(separator: " ").map(String.init)
        var currency = bookCurrency, amount = text
        if parts.count == 2 {
            let (first, second) = (parts[0], parts[1])
            if let named = Currency(code: second), second.count == 3 {
                (currency, amount) = (named, first)
            } else if let named = Currency(code: first), first.count == 3 {
                (currency, amount) = (named, second)
            }
        }
        do { return try Money.parse(amount, currency: currency) } catch {
            throw BookError.invalid(field: field, reason: "an amount such as 50.00 (in \(bookCurrency.code)) or 500 JPY")
        }
    }

    static func policy(from text: String, currency: Currency) throws -> DunningPolicy {
        guard text.utf8.count <= textMax else { throw BookError.invalid(field: "policy", reason: "at most \(textMax) bytes") }
        let definition: PolicyDefinition
        do { definition = try JSONDecoder().decode(PolicyDefinition.self, from: Data(text.utf8)) } catch {
            throw BookError.invalid(field: "policy", reason: "not a policy in JSON (name, levels, late_fee)")
        }
        var levels: [DunningLevel] = []
        for (index, level) in definition.levels.enumerated() {
            let field = "levels[\(index)]"
            var channels: [DunningChannel] = []
            for name in level.channels {
                guard let channel = DunningChannel(rawValue: name) else {
                    throw BookError.invalid(field: field + ".channels", reason: "one of \(DunningChannel.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                channels.append(channel)
            }
            var actions: Set<DunningAction> = []
            for name in level.actions ?? [] {
                guard let action = DunningAction(rawValue: name) else {
                    throw BookError.invalid(field: field + ".actions", reason: "one of \(DunningAction.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                actions.insert(action)
            }
            let fee = try level.fee.map { try Self.fee($0, bookCurrency: currency, field: field + ".fee") }
            var templates: [String: MessageTemplate] = [:]
            for (language, template) in level.templates ?? [:] {
                guard DunningLetter.languages.contains(language) else {
                    throw BookError.invalid(field: field + ".templates", reason: "languages are \(DunningLetter.languages.joined(separator: " and "))")
                }
                do { templates[language] = try MessageTemplate(subject: template.subject, body: template.body) } catch {
                    throw BookError.invalid(field: field + ".templates.\(language)", reason: error.description)
                }
            }
            levels.append(DunningLevel(number: index + 1, name: level.name, offsetDays: level.days, channels: channels,
                                       fee: fee, chargesInterest: level.interest ?? false, actions: actions, templates: templates))
        }
        do {
            let terms = try definition.late_fee.map {
                try LateFeeTerms(dailyRatePPM: $0.daily_rate_ppm, graceDays: $0.grace_days ?? 0, capBasisPoints: $0.cap_bp)
            }
            return try DunningPolicy(name: definition.name, levels: levels, lateFee: terms)
        } catch let rejection as DunningRejection {
            throw BookError.invalid(field: "policy", reason: rejection.description)
        }
    }
}

extension PolicyDefinition {
    /// The definition of `policy` as JSON, in the form `policy(from:currency:)` reads: what the policy
    /// page offers to edit when a policy (the built-in one) has no stored text.
    static func json(of policy: DunningPolicy) -> String {
        let definition = PolicyDefinition(
            name: policy.name,
            levels: policy.levels.map { level in
                Level(name: level.name, days: level.offsetDays, channels: level.channels.map(\.rawValue),
                      fee: level.fee.map { "\($0.decimalString) \($0.currency.code)" }, interest: level.chargesInterest ? true : nil,
                      actions: level.actions.isEmpty ? nil : level.actions.map(\.rawValue).sorted(),
                      templates: level.templates.isEmpty ? nil : level.templates.mapValues { Template(subject: $0.subject, body: $0.body) })
            },
            late_fee: policy.lateFee.map { LateFee(daily_rate_ppm: $0.dailyRatePPM, grace_days: $0.graceDays, cap_bp: $0.capBasisPoints) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(definition)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
