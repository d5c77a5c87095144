extension PaymentTerms {
    /// Reads the text form described on `PaymentTerms`. Also accepts a bare number of days ("30"),
    /// "N30", "月结30" and "月结" (end of month).
    public static func parse(_ raw: String) throws(TermsRejection) -> PaymentTerms {
        let text = raw.lowercased().replacingAll(" ", with: "")
        guard !text.isEmpty else { throw .unreadable(raw) }
        let pieces = text.split(separator: ";", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw .unreadable(raw) }
        let schedule = try parseSchedule(String(pieces[0]), raw: raw)
        var discount: CashDiscount?
        if pieces.count == 2 {
            let parts = pieces[1].split(separator: "/")
            guard parts.count == 2, let rate = parsePercent(String(parts[0])), let days = Int(parts[1]) else {
                throw .unreadable(raw)
            }
            discount = CashDiscount(basisPoints: rate, days: days)
        }
        return try PaymentTerms(schedule: schedule, discount: discount)
    }

    private static func parseSchedule(_ text: String, raw: String) throws(TermsRejection) -> Schedule {
        if let days = Int(text) { return .net(days: days) }
        for prefix in ["net", "n"] where text.hasPrefix(prefix) {
            if let days = Int(text.dropFirst(prefix.count)) { return .net(days: days) }
        }
        for prefix in ["eom", "月结"] where text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            if rest.isEmpty { return .endOfMonth(days: 0) }
            if let days = Int(rest.hasPrefix("+") ? rest.dropFirst() : rest) { return .endOfMonth(days: days) }
        }
        guard text.contains("@") else { throw .unreadable(raw) }
        var parts: [Instalment] = []
        for piece in text.split(separator: ",") {
            let halves = piece.split(separator: "@")
            guard halves.count == 2, let share = parsePercent(String(halves[0])), let days = Int(halves[1]) else {
                throw .unreadable(raw)
            }
            parts.append(Instalment(basisPoints: share, days: days))
        }
        return .instalments(parts)
    }

    /// "2%" or "2.5%" or "2" as basis points (200, 250, 200); at most two decimals.
    private static func parsePercent(_ text: String) -> Int64? {
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        let halves = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(halves.count), let whole = Int64(halves[0]), whole >= 0, whole <= 100 else { return nil }
        var fraction: Int64 = 0
        if halves.count == 2 {
            guard (1...2).contains(halves[1].count), let value = Int64(halves[1]) else { return nil }
            fraction = halves[1].count == 1 ? value * 10 : value
        }
        return whole * 100 + fraction
    }

    static func format(_ terms: PaymentTerms) -> String {
        var text: String
        switch terms.schedule {
        case .net(let days): text = "net \(days)"
        case .endOfMonth(let days): text = "eom \(days)"
        case .instalments(let parts):
            text = parts.map { "\(formatPercent($0.basisPoints))@\($0.days)" }.joined(separator: ",")
        }
        if let discount = terms.discount {
            text += "; \(formatPercent(discount.basisPoints))/\(discount.days)"
        }
        return text
    }

    private static func formatPercent(_ basisPoints: Int64) -> String {
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        if fraction == 0 { return "\(whole)%" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)%" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}

extension String {
    /// Every occurrence of `target` replaced; Foundation-free so the domain imports nothing.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
