import Bookkeeping
import Interchange
import Receivables

/// The dunning plan (or what a run did) as a table for people or JSON for programs.
public enum DunningFormats {
    public static func table(_ notices: [PlannedNotice], asOf: Day) -> String {
        guard !notices.isEmpty else { return "Nothing to send as of \(asOf).\n" }
        var table = TextTable(headers: ["customer", "level", "channels", "items", "chased", "fee", "interest", "actions"],
                              alignments: [.left, .left, .left, .right, .right, .right, .right, .left])
        for planned in notices {
            let notice = planned.notice
            let amount = { (money: Money) in money.groupedDecimalString }
            table.append(["\(planned.code) \(planned.name)", "\(notice.level.number) \(notice.level.name)",
                          notice.level.channels.map(\.rawValue).joined(separator: ","), String(notice.lines.count),
                          amount(notice.chased), notice.fee.isZero ? "" : amount(notice.fee), notice.interest.isZero ? "" : amount(notice.interest),
                          notice.actions.map(\.rawValue).sorted().joined(separator: ",")])
        }
        return "Dunning as of \(asOf): \(notices.count) messages\n\n" + table.render()
    }

    public static func json(_ notices: [PlannedNotice], asOf: Day) -> String {
        JSONText.object([("as_of", .string(asOf.description)), ("notices", .array(notices.map(notice)))]).render() + "\n"
    }

    static func notice(_ planned: PlannedNotice) -> JSONText {
        let notice = planned.notice
        let amount = { (money: Money) in JSONText.string(money.decimalString) }
        return .object([
            ("customer", .string(planned.code.rawValue)), ("name", .string(planned.name)), ("currency", .string(planned.currency.code)),
            ("language", .string(planned.language)), ("policy", .string(planned.policy)),
            ("level", .int(Int64(notice.level.number))), ("level_name", .string(notice.level.name)),
            ("channels", .array(notice.level.channels.map { .string($0.rawValue) })),
            ("actions", .array(notice.actions.map(\.rawValue).sorted().map { .string($0) })),
            ("items", .array(notice.lines.map { line in
                .object([("invoice", .string(line.invoice.rawValue)), ("due", .string(line.due.description)),
                         ("days_past_due", .int(Int64(line.daysPastDue))), ("level", .int(Int64(line.level))),
                         ("chased", amount(line.chased)), ("interest", amount(line.interest))])
            })),
            ("chased", amount(notice.chased)), ("fee", amount(notice.fee)), ("interest", amount(notice.interest)),
            ("charges", amount(notice.charges)),
        ])
    }
}
