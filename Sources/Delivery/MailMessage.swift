import Bookkeeping
import Foundation

/// An outbox message as an Internet mail message (RFC 5322 with MIME): UTF-8 subject as an encoded
/// word, the body in base64 so that Chinese text passes any mail relay unchanged.
enum MailMessage {
    static func render(_ stored: StoredOutboxMessage, from: String, date: Date = Date()) throws -> String {
        let message = stored.message
        guard Self.isAddress(message.recipient) else { throw DeliveryError("no valid email address for the customer ('\(message.recipient)')") }
        guard Self.isAddress(from) else { throw DeliveryError("the sender address '\(from)' is not valid") }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(from)",
            "To: \(message.recipient)",
            "Subject: \(encodedWord(message.subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <arbook-outbox-\(stored.id)@\(from.split(separator: "@").last ?? "arbook")>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Content-Language: \(message.language)",
            "",
            body,
            "",
        ].joined(separator: "\r\n")
    }

    /// RFC 2047: non-ASCII text as =?UTF-8?B?…?= words of at most 75 characters.
    static func encodedWord(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            // 45 bytes of UTF-8 make 60 characters of base64: within 75 with the markers.
            if chunk.utf8.count + character.utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// One address, no header injection: local@domain without spaces, angle brackets or line breaks.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: { $0.isWhitespace || "<>,;\"\r\n".contains($0) })
    }
}
