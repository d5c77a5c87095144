import Receivables

/// The text of a dunning message in the customer's language: the level's tone, every item chased
/// with its due day and days overdue, the total, and what is charged.
public enum DunningLetter {
    public static let languages = ["zh-CN", "en"]

    public static func render(_ notice: DunningNotice, code: Customer.Code, name: String, currency: Currency, asOf: Day,
                              language: String) -> (subject: String, body: String) {
        let chinese = language == "zh-CN"
        let amount = { (money: Money) in Self.amount(money) }
        let level = notice.level
        if let template = level.templates[language] {
            let values = [
                "customer": name, "code": code.rawValue, "as_of": asOf.description, "level": level.name,
                "items": notice.lines.map { "\($0.invoice.rawValue)\t\($0.due)\t\(max(0, $0.daysPastDue))\t\(amount($0.chased))" }.joined(separator: "\n"),
                "total": amount(notice.chased), "fee": amount(notice.fee), "interest": amount(notice.interest),
            ]
            return (MessageTemplate.fill(template.subject, values), MessageTemplate.fill(template.body, values))
        }
        let subject = chinese
            ? "【\(levelTitle(level, chinese: true))】\(name)（\(code.rawValue)）应付款项 \(amount(notice.chased))"
            : "\(levelTitle(level, chinese: false)): \(amount(notice.chased)) owed by \(name) (\(code.rawValue))"
        var lines: [String] = []
        lines.append(chinese ? "尊敬的\(name)：" : "Dear \(name),")
        lines.append("")
        lines.append(opening(level, chinese: chinese, asOf: asOf))
        lines.append("")
        lines.append(chinese ? "发票号\t到期日\t逾期天数\t催收级别\t应付金额" : "Invoice\tDue\tDays overdue\tLevel\tAmount")
        for line in notice.lines {
            lines.append("\(line.invoice.rawValue)\t\(line.due)\t\(max(0, line.daysPastDue))\t\(line.level)\t\(amount(line.chased))")
        }
        lines.append((chinese ? "合计：" : "Total: ") + Self.inWords(notice.chased, chinese: chinese))
        if notice.fee.isPositive { lines.append((chinese ? "本级费用：" : "Fee at this level: ") + amount(notice.fee)) }
        if notice.interest.isPositive { lines.append((chinese ? "滞纳金（逾期利息）：" : "Late interest: ") + amount(notice.interest)) }
        if notice.charges.isPositive, let due = try? notice.chased.adding(notice.charges) {
            lines.append((chinese ? "应付总额（含上述费用）：" : "Total due with these charges: ") + Self.inWords(due, chinese: chinese))
            lines.append(chinese ? "上述费用已单独列为应收款项，请一并支付。" : "These charges are billed separately; please pay them with the total.")
        }
        if notice.actions.contains(.creditHold) {
            lines.append(chinese ? "在款项付清前，我方将暂停供货。" : "Deliveries are on hold until the account is settled.")
        }
        if !notice.actions.isDisjoint(with: [.legal, .collectionAgency]) {
            lines.append(chinese ? "如仍未付款，本案将移交法律程序处理。" : "Without payment the matter passes to our legal department.")
        }
        lines.append("")
        lines.append(chinese ? "如已付款，请忽略本通知；如有疑问，请与我们联系。" : "If you have paid already, please disregard this notice; if anything is unclear, please contact us.")
        return (subject, lines.joined(separator: "\n"))
    }

    /// An amount as a letter writes it: ¥1,234.56 for yuan, the currency's code before others.
    public static func amount(_ money: Money) -> String { money.displayString }

    /// A total as a letter says it: "人民币 1,234.56 元" in Chinese, ¥1,234.56 in English.
    static func inWords(_ money: Money, chinese: Bool) -> String {
        guard chinese, money.currency == .cny else { return amount(money) }
        return "人民币 \(money.groupedDecimalString) 元"
    }

    static func levelTitle(_ level: DunningLevel, chinese: Bool) -> String {
        switch (level.actions.contains(.legal), level.actions.contains(.creditHold), level.offsetDays, chinese) {
        case (true, _, _, true): "移交法务通知"
        case (true, _, _, false): "Notice of legal action"
        case (_, true, _, true): "最后催款通知"
        case (_, true, _, false): "Final demand"
        case (_, _, let days, true) where days < 0: "付款提醒"
        case (_, _, let days, false) where days < 0: "Payment reminder"
        case (_, _, _, true): "逾期催款通知（第 \(level.number) 级）"
        case (_, _, _, false): "Overdue notice (level \(level.number))"
        }
    }

    static func opening(_ level: DunningLevel, chinese: Bool, asOf: Day) -> String {
        if level.offsetDays < 0 {
            return chinese ? "以下款项即将到期，请按时安排付款：" : "The following items fall due shortly; please arrange payment on time:"
        }
        return chinese ? "截至 \(asOf)，以下款项已逾期未付，请尽快安排付款：" : "As of \(asOf) the following items are overdue; please pay them promptly:"
    }
}
