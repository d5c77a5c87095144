import Receivables

/// A customer ledger in each output format.
public enum LedgerFormats {
    static let kindNames: [EntryKind: String] = [
        .invoice: "invoice", .receipt: "receipt", .creditNote: "credit note", .allocation: "allocation",
        .allocationReversal: "allocation reversal", .receiptReversal: "receipt reversal", .lateFee: "late fee",
    ]

    public static func table(_ ledger: CustomerLedger) -> String {
        let amount = { (money: Money) in money.isZero ? "" : money.groupedDecimalString }
        var table = TextTable(headers: ["day", "document", "kind", "debit", "credit", "balance"],
                              alignments: [.left, .left, .left, .right, .right, .right])
        table.append([ledger.from.map { $0.description } ?? "", "", "opening balance", "", "",
                      ledger.opening.groupedDecimalString])
        for line in ledger.lines {
            table.append([line.day.description, line.document, kindNames[line.kind] ?? line.kind.rawValue,
                          amount(line.debit), amount(line.credit), line.balance.groupedDecimalString])
        }
        table.append([ledger.to.description, "", "closing balance", "", "",
                      ledger.closing.groupedDecimalString])
        return "Ledger of \(ledger.customer) \(ledger.name), \(ledger.currency.code)\n\n" + table.render()
    }

    /// The ledger as CSV. `label` turns the header's names, the kinds and the opening and closing
    /// markers into a reader's words (a Chinese session's download); by default they are the codes.
    public static func csv(_ ledger: CustomerLedger, label: (String) -> String = { $0 }) -> String {
        let amount = { (money: Money) in money.decimalString }
        var text = CSVWriter.line(["day", "document", "kind", "debit", "credit", "balance"].map(label))
        text += CSVWriter.line([ledger.from?.description ?? "", "", label("opening"), "", "", amount(ledger.opening)])
        for line in ledger.lines {
            text += CSVWriter.line([line.day.description, line.document, label(line.kind.rawValue), amount(line.debit),
                                    amount(line.credit), amount(line.balance)])
        }
        text += CSVWriter.line([ledger.to.description, "", label("closing"), "", "", amount(ledger.closing)])
        return text
    }

    public static func json(_ ledger: CustomerLedger) -> String {
        let amount = { (money: Money) in JSONText.string(money.decimalString) }
        let lines: [JSONText] = ledger.lines.map { line in
            .object([("day", .string(line.day.description)), ("document", .string(line.document)),
                     ("kind", .string(line.kind.rawValue)), ("debit", amount(line.debit)),
                     ("credit", amount(line.credit)), ("balance", amount(line.balance))])
        }
        let document: JSONText = .object([
            ("customer", .string(ledger.customer.rawValue)), ("name", .string(ledger.name)),
            ("currency", .string(ledger.currency.code)), ("from", ledger.from.map { .string($0.description) } ?? .null),
            ("to", .string(ledger.to.description)), ("opening", amount(ledger.opening)),
            ("lines", .array(lines)), ("closing", amount(ledger.closing)),
        ])
        return document.render() + "\n"
    }
}
