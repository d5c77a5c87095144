import Foundation
import Bookkeeping
import Receivables

/// A message as a printable letter: an HTML page with print CSS (A4), for the letter channel and the
/// outbox page's preview.
public enum OutboxLetter {
    public static func html(_ stored: StoredOutboxMessage) -> String {
        let message = stored.message
        let rows = message.body.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cells.count > 1 else { return "<p>\(escape(String(line)))</p>" }
            return "<table><tr>" + cells.map { "<td>\(escape(String($0)))</td>" }.joined() + "</tr></table>"
        }
        return """
            <!doctype html>
            <html lang="\(escape(message.language))"><head><meta charset="utf-8"><title>\(escape(message.subject))</title>
            <style>
            @page { size: A4; margin: 25mm 20mm; }
            body { font: 11pt/1.6 "Noto Serif CJK SC", "Songti SC", serif; color: #000; }
            h1 { font-size: 15pt; margin: 0 0 12mm; }
            table { border-collapse: collapse; width: 100%; } td { padding: 1mm 2mm; border-bottom: 0.2mm solid #999; }
            p { margin: 0 0 2mm; }
            @media screen { body { max-width: 170mm; margin: 10mm auto; } }
            </style></head>
            <body>
            <p>\(escape(message.recipient))</p>
            <h1>\(escape(message.subject))</h1>
            \(rows.joined(separator: "\n"))
            </body></html>
            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
