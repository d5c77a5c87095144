import Bookkeeping
import Foundation
import Receivables

/// The words of one language for what the book holds as codes: payment methods, terms, entry kinds,
/// channels, roles, permissions, audit actions, field names, and the reasons a rule gives for a
/// refusal. Every page shows these through here, never the code itself.
struct Words: Sendable {
    let language: UILanguage
    let table: [String: String]

    init(_ language: UILanguage) {
        self.language = language
        self.table = language.strings
    }

    /// Between the items of a list in a sentence: "、" in Chinese, ", " in English.
    var listSeparator: String { language == .zh ? "、" : ", " }

    /// The word under `key`, or `fallback` (the code) when the table has none.
    subscript(_ key: String, or fallback: String) -> String { table[key] ?? fallback }

    func method(_ method: PaymentMethod) -> String { self["method_\(method.rawValue)", or: method.rawValue] }
    func entryKind(_ kind: String) -> String { self["entry_\(kind)", or: kind] }
    func channel(_ channel: DunningChannel) -> String { self["channel_\(channel.rawValue)", or: channel.rawValue] }
    func role(_ role: Role) -> String { self["role_\(role.rawValue)", or: role.rawValue] }
    func permission(_ permission: Permission) -> String { self["permission_\(permission.rawValue)", or: permission.rawValue] }
    func auditAction(_ action: String) -> String { self["audit_\(action)", or: action] }
    func entity(_ entity: String) -> String { self["entity_\(entity)", or: entity] }
    /// An account of the chart by its code and name ("1122 应收账款"); a code the default chart does not hold, as it is.
    func account(_ code: String) -> String { table["account_\(code)"].map { code + " " + $0 } ?? code }
    func field(_ name: String) -> String { self["field_\(name)", or: self[name, or: name]] }
    /// A dunning level's name: the default policy's names are translated, a user's own names are data.
    func level(_ name: String) -> String { self["level_\(name)", or: name] }
    /// The owner of a dispute or an activity: the command line's operator is "default".
    func owner(_ name: String) -> String {
        switch name {
        case "default", "": self["owner_default", or: name]
        case "cli": self["owner_cli", or: name]
        case "scheduler": self["owner_scheduler", or: name]
        default: name
        }
    }

    /// A CSV column or marker in this language: Chinese sessions download Chinese headers; English
    /// ones keep the codes other programs read.
    func csvLabel(_ code: String) -> String {
        guard language == .zh else { return code }
        return table["csv_\(code)"] ?? table["entry_\(code)"] ?? code
    }

    /// Why a dunning run waits for approval, in this language.
    func gateReason(_ reason: DunningGateReason) -> String {
        let zh = language == .zh
        switch reason {
        case .firstRunWithBacklog(let customers):
            return zh ? "这是本账簿的第一次催款，将同时催收 \(customers) 个客户的逾期欠款"
                : "This is the book's first run: it chases the overdue debt of \(customers) customers at once"
        case .manyHolds(let customers, let of, let percentMax):
            return zh ? "将对 \(of) 个客户中的 \(customers) 个停止供货（超过 \(percentMax)%）"
                : "It puts \(customers) of \(of) customers on credit hold (more than \(percentMax)%)"
        case .manyLegal(let customers, let of, let percentMax):
            return zh ? "将把 \(of) 个客户中的 \(customers) 个移交法务（超过 \(percentMax)%）"
                : "It hands \(customers) of \(of) customers over to legal (more than \(percentMax)%)"
        }
    }

    /// Payment terms as people say them: "Net 30 days" / "30 天", "End of month + 30 days" / "月结 30 天",
    /// instalments by share and day, then the cash discount.
    func terms(_ terms: PaymentTerms) -> String {
        let zh = language == .zh
        var text: String
        switch terms.schedule {
        case .net(let days): text = zh ? "\(days) 天" : "Net \(days) days"
        case .endOfMonth(let days): text = zh ? (days == 0 ? "月结" : "月结 \(days) 天") : (days == 0 ? "End of month" : "End of month + \(days) days")
        case .instalments(let parts):
            text = parts.map { part in
                let share = Self.percent(part.basisPoints)
                return zh ? "\(share) \(part.days) 天" : "\(share) in \(part.days) days"
            }.joined(separator: zh ? "，" : ", ")
        }
        if let discount = terms.discount {
            let rate = Self.percent(discount.basisPoints)
            text += zh ? "；\(discount.days) 天内付款折扣 \(rate)" : "; \(rate) off if paid within \(discount.days) days"
        }
        return text
    }

    static func percent(_ basisPoints: Int64) -> String {
        let fraction = basisPoints % 100
        guard fraction != 0 else { return "\(basisPoints / 100)%" }
        return "\(basisPoints / 100)." + (fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")) + "%"
    }

    /// The reason a rule gave, in this language. The book's reasons are English sentences with the
    /// values in them; each known form is matched and rewritten, the values kept. A reason no form
    /// matches is shown as it is (a test keeps the forms the pages can meet covered).
    func reason(_ text: String) -> String {
        guard language == .zh else { return text }
        for (pattern, template) in Self.reasonForms {
            guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { continue }
            var result = template
            for group in stride(from: match.numberOfRanges - 1, through: 1, by: -1) {
                let value = Range(match.range(at: group), in: text).map { String(text[$0]) } ?? ""
                result = result.replacingOccurrences(of: "$\(group)", with: translatedValue(value))
            }
            return result
        }
        return text
    }

    /// A value inside a reason: a known word (customer, invoice…) translated, anything else as given.
    private func translatedValue(_ value: String) -> String {
        table["entity_\(value)"] ?? table["field_\(value)"] ?? value
    }

    /// The forms, compiled. A pattern that does not compile is left out (and `WebAppTests` fails on it),
    /// so that a mistake here costs a translation, never the server.
    static let reasonForms: [(NSRegularExpression, String)] = reasonPatterns.compactMap { pattern, zh in
        (try? NSRegularExpression(pattern: "^" + pattern + "$", options: [.dotMatchesLineSeparators])).map { ($0, zh) }
    }

    private static func form(_ pattern: String, _ zh: String) -> (String, String) { (pattern, zh) }

    /// English reason → Chinese, `$n` for the n-th value. Checked in order: the more specific first.
    static let reasonPatterns: [(String, String)] = [
        form("amount is empty", "金额为空"),
        form("'(.*)' is not an amount", "“$1”不是金额，请写作 1234.50 或 1,234.50"),
        form("'(.*)' has more than (\\d+) decimals", "“$1”的小数超过 $2 位"),
        form("'(.*)' is too large", "“$1”超出可记录的金额"),
        form("an amount such as (.*)", "请填写金额，例如 $1"),
        form("day is empty", "日期为空"),
        form("'(.*)' is not a day: .*", "“$1”不是日期：请写作 2026-06-30（年-月-日）；也接受 2026/6/30、2026.6.30、20260630 和 2026年6月30日"),
        form("'(.*)' is outside the years (\\d+) to (\\d+)", "“$1”不在 $2 至 $3 年之间"),
        form("(\\w+) '(.*)' does not exist", "$1“$2”不存在"),
        form("unknown customer '(.*)'", "客户“$1”不存在"),
        form("(\\d+) customers match '(.*)': (.*)", "有 $1 个客户与“$2”相符：$3。请填写其中一个的编码"),
        form("(\\w+) '(.*)' exists already", "$1“$2”已存在"),
        form("(\\w+) '(.*)' has already been reversed", "$1“$2”已冲销过"),
        form("(\\w+): currency (\\w+) differs from the customer's (\\w+)", "币种 $2 与客户的币种 $3 不同"),
        form("currency mismatch: (\\w+) but the customer is billed in (\\w+)", "币种 $1 与客户的结算币种 $2 不同"),
        form("'(.*)' is not an ISO 4217 currency code", "“$1”不是 ISO 4217 币种代码"),
        form("'(.*)' is not a payment method.*", "“$1”不是收款方式"),
        form("'(.*)' is not a number of days between 0 and (\\d+)", "“$1”不是 0 至 $2 之间的天数"),
        form("customer is empty", "请填写客户"),
        form("customer and bucket are required", "请指定客户和账龄区间"),
        form("the plan has changed since it was shown: look at it again before approving", "计划在显示后已有变化：请重新查看后再批准"),
        form("a customer's currency cannot change \\((\\w+)\\)", "客户的币种不能更改（$1）"),
        form("is after 'to'", "晚于截止日"),
        form("the invoice names another customer", "该发票属于其他客户"),
        form("the receipt names another customer", "该收款属于其他客户"),
        form("the credit note names another invoice", "该红字发票属于其他发票"),
        form("invoice (.*) belongs to another customer", "发票 $1 属于其他客户"),
        form("credit notes would exceed the invoice; (.*) can still be credited", "红字发票合计将超过发票金额；还可开具 $1"),
        form("a credit note cannot be dated before its invoice \\((.*)\\)", "红字发票日期不能早于发票日期（$1）"),
        form("a reversal cannot be dated before the receipt or its allocations \\((.*)\\)", "冲销日期不能早于收款或其核销日期（$1）"),
        form("a promise is to pay on or after the day it is made", "承诺付款日期不能早于今天"),
        form("within a year of the promise", "须在承诺之日起一年内"),
        form("on or after the day of the activity", "不能早于本次沟通的日期"),
        form("say what is to be done", "请写明下一步要做什么"),
        form("a reason is required", "请填写原因"),
        form("the receipt to reverse", "请填写要冲销的收款单号"),
        form("must be positive", "必须大于零"),
        form("at most what is owed \\((.*)\\)", "不能超过所欠金额（$1）"),
        form("between 0.01 and what the invoice has open \\((.*)\\)", "须在 0.01 与发票未清金额（$1）之间"),
        form("(\\d+) to (\\d+) characters", "$1 至 $2 个字符"),
        form("1 to (\\d+) characters", "1 至 $1 个字符"),
        form("at most (\\d+) characters", "最多 $1 个字符"),
        form("longer than (\\d+) characters", "超过 $1 个字符"),
        form("(.*) is a late fee: a manager waives it instead", "$1 是滞纳金：请由经理减免"),
        form("allocation refused: amount to apply must be greater than zero", "核销金额必须大于零"),
        form("allocation refused: credit and open item are in different currencies", "收款与发票币种不同"),
        form("allocation refused: credit and open item belong to different customers", "收款与发票属于不同客户"),
        form("allocation refused: amount is more than the (.*) open on the item", "金额超过发票未清金额 $1"),
        form("allocation refused: amount is more than the (.*) left on the credit", "金额超过该收款未核销余额 $1"),
        form("allocation refused: the credit has been reversed", "该收款已冲销"),
        form("allocation refused: the allocation has already been reversed", "该核销已冲销过"),
        form("allocation refused: a reversal cannot be dated before the allocation it undoes", "冲销日期不能早于被冲销的核销"),
    ]
}
