import Bookkeeping
import Foundation
import Receivables

/// A dunning message as a printed letter (A4): the company's letterhead, the letter's date and
/// reference, the addressee, the message with its items in one table whose columns line up, where to
/// pay (the company's bank and account), and a block for the signature and the company seal (盖章).
/// In the message's language.
public enum OutboxLetter {
    public static func html(_ stored: StoredOutboxMessage, company: CompanyProfile) -> String {
        let message = stored.message
        let chinese = message.language == "zh-CN"
        let day = String(stored.createdAt.prefix(10))
        let reference = chinese ? "催字第 \(stored.id) 号" : "Ref. DN-\(stored.id)"
        var body: [String] = []
        var table: [[String]] = []
        // Consecutive tab-separated lines are one table: the first its header.
        func flush() {
            guard !table.isEmpty else { return }
            let head = table[0].map { "<th>\(escape($0))</th>" }.joined()
            let rows = table.dropFirst().map { row in
                "<tr>" + row.enumerated().map { index, cell in
                    "<td\(index == row.count - 1 ? " class=\"num\"" : "")>\(escape(cell))</td>"
                }.joined() + "</tr>"
            }.joined(separator: "\n")
            body.append("<table><thead><tr>\(head)</tr></thead><tbody>\n\(rows)\n</tbody></table>")
            table = []
        }
        for line in message.body.split(separator: "\n", omittingEmptySubsequences: false) {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if cells.count > 1 {
                table.append(cells)
            } else {
                flush()
                body.append(line.isEmpty ? "" : "<p>\(escape(String(line)))</p>")
            }
        }
        flush()
        let letterhead = [company.name.isEmpty ? nil : "<div class=\"company\">\(escape(company.name))</div>",
                          [company.address, company.phone].filter { !$0.isEmpty }.isEmpty ? nil
                            : "<div>\(escape([company.address, company.phone].filter { !$0.isEmpty }.joined(separator: " · ")))</div>"]
            .compactMap { $0 }.joined()
        let payTo = company.bank.isEmpty && company.account.isEmpty ? "" : """
            <div class="pay"><strong>\(chinese ? "请汇款至" : "Please pay to")</strong><br>
            \(chinese ? "户名" : "Account name")：\(escape(company.name))<br>
            \(chinese ? "开户行" : "Bank")：\(escape(company.bank))<br>
            \(chinese ? "账号" : "Account no.")：\(escape(company.account))</div>
            """
        return """
            <!doctype html>
            <html lang="\(escape(message.language))"><head><meta charset="utf-8"><title>\(escape(message.subject))</title>
            <style>
            @page { size: A4; margin: 20mm 20mm 25mm; }
            body { font: 11pt/1.6 "Noto Serif CJK SC", "Songti SC", serif; color: #000; }
            header { border-bottom: 0.6mm solid #000; padding-bottom: 3mm; margin-bottom: 8mm; }
            header .company { font-size: 16pt; font-weight: bold; }
            .meta { display: flex; justify-content: space-between; margin-bottom: 6mm; }
            h1 { font-size: 14pt; margin: 0 0 8mm; text-align: center; }
            table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
            th, td { padding: 1mm 2mm; border: 0.2mm solid #666; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            p { margin: 0 0 2mm; }
            .pay { margin: 6mm 0; padding: 3mm; border: 0.3mm solid #000; }
            .sign { display: flex; justify-content: flex-end; gap: 12mm; margin-top: 14mm; }
            .seal { width: 42mm; height: 42mm; border: 0.3mm dashed #999; display: flex; align-items: center; justify-content: center; color: #999; }
            @media screen { body { max-width: 170mm; margin: 10mm auto; } }
            </style></head>
            <body>
            <header>\(letterhead)</header>
            <div class="meta"><span>\(escape(message.recipient))</span><span>\(escape(reference))<br>\(chinese ? "日期" : "Date")：\(escape(day))</span></div>
            <h1>\(escape(message.subject))</h1>
            \(body.joined(separator: "\n"))
            \(payTo)
            <div class="sign"><div>\(chinese ? "经办人（签字）" : "Signed"):<br><br>______________<br>\(escape(company.name))<br>\(escape(day))</div>
            <div class="seal">\(chinese ? "（盖章）" : "(company seal)")</div></div>
            </body></html>
            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
