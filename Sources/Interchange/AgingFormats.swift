import Receivables

/// The aging report in each output format. The JSON shape is the one documented for the CLI and the
/// API alike; amounts are exact decimal strings.
public enum AgingFormats {
    static func amount(_ money: Money) -> String { money.decimalString }

    public static func json(_ report: AgingReport) -> String {
        let currency = report.currency
        let customers: [JSONText] = report.rows.map { row in
            .object([("code", .string(row.code.rawValue)), ("name", .string(row.name)),
                     ("balance", .string(amount(row.balance))),
                     ("buckets", .array(row.buckets.map { .string(amount($0)) })),
                     ("unapplied", .string(amount(row.unapplied)))])
        }
        let document: JSONText = .object([
            ("as_of", .string(report.asOf.description)), ("basis", .string(report.basis.rawValue)),
            ("currency", .string(currency.code)), ("buckets", .array(report.buckets.labels.map { .string($0) })),
            ("customers", .array(customers)),
            ("totals", .object([("balance", .string(amount(report.totalBalance))),
                                ("buckets", .array(report.totalBuckets.map { .string(amount($0)) })),
                                ("unapplied", .string(amount(report.totalUnapplied)))])),
        ])
        return document.render() + "\n"
    }

    /// The report as CSV; `label` turns the header's names and the total's marker into a reader's words.
    public static func csv(_ report: AgingReport, label: (String) -> String = { $0 }) -> String {
        let currency = report.currency
        var text = CSVWriter.line((["code", "name"] + report.buckets.labels + ["unapplied", "balance"]).map(label))
        for row in report.rows {
            text += CSVWriter.line([row.code.rawValue, row.name] + row.buckets.map { amount($0) }
                                   + [amount(row.unapplied), amount(row.balance)])
        }
        text += CSVWriter.line([label("TOTAL"), ""] + report.totalBuckets.map { amount($0) }
                               + [amount(report.totalUnapplied), amount(report.totalBalance)])
        return text
    }

    public static func table(_ report: AgingReport) -> String {
        let currency = report.currency
        let grouped = { (money: Money) in money.groupedDecimalString }
        let headers = ["code", "name"] + report.buckets.labels + ["unapplied", "balance"]
        var table = TextTable(headers: headers, alignments: [.left, .left] + Array(repeating: .right, count: headers.count - 2))
        for row in report.rows {
            table.append([row.code.rawValue, row.name] + row.buckets.map(grouped) + [grouped(row.unapplied), grouped(row.balance)])
        }
        table.append(["TOTAL", "\(report.rows.count) customers"] + report.totalBuckets.map(grouped)
                     + [grouped(report.totalUnapplied), grouped(report.totalBalance)])
        return "Aging as of \(report.asOf) by \(report.basis.rawValue) day, \(currency.code)\n\n" + table.render()
    }
}
