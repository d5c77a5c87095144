import BookFormats
import Bookkeeping
import Foundation
import Receivables
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Email through a sendmail-compatible command (`/usr/sbin/sendmail -t -i` from postfix or msmtp):
/// the message goes to its standard input; exit status 0 means the mail system took it.
public struct SendmailTransport: OutboxTransport {
    public let command: [String]
    public let from: String
    public static let timeoutSeconds = 30

    public init(command: [String], from: String) {
        self.command = command
        self.from = from
    }

    public func deliver(_ message: StoredOutboxMessage) async throws {
        let text = try MailMessage.render(message, from: from)
        guard let executable = command.first else { throw DeliveryError("no sendmail command is configured") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst())
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch { throw DeliveryError("cannot start \(executable): \(error)") }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(TimeInterval(Self.timeoutSeconds))
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw DeliveryError("\(executable) did not finish within \(Self.timeoutSeconds) s")
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        guard process.terminationStatus == 0 else {
            let said = String(decoding: errors.fileHandleForReading.availableData.prefix(300), as: UTF8.self)
            throw DeliveryError("\(executable) exited with status \(process.terminationStatus): \(said)")
        }
    }
}

/// A chat robot or any HTTP endpoint: the message as JSON in the format the receiver reads.
public struct WebhookTransport: OutboxTransport {
    public enum Format: String, CaseIterable, Sendable {
        /// {"event": "dunning", "id", "customer", "channel", "language", "subject", "body"}
        case generic
        /// 企业微信群机器人: {"msgtype": "text", "text": {"content"}}; answers {"errcode": 0}.
        case wecom
        /// 钉钉群机器人: {"msgtype": "text", "text": {"content"}}; answers {"errcode": 0}.
        case dingtalk
        /// 飞书群机器人: {"msg_type": "text", "content": {"text"}}; answers {"code": 0}.
        case feishu
    }

    public let url: URL
    public let format: Format
    public static let timeoutSeconds: TimeInterval = 15

    public init(url: URL, format: Format) {
        self.url = url
        self.format = format
    }

    /// The body each receiver takes: arbook's own event, or the text message of a chat robot.
    enum Payload: Encodable {
        struct Event: Encodable {
            var event = "dunning"
            let id: Int64
            let customer: Int64
            let channel: String
            let language: String
            let subject: String
            let body: String
        }

        /// WeCom and DingTalk: {"msgtype": "text", "text": {"content": …}}.
        struct RobotText: Encodable {
            struct Text: Encodable { let content: String }
            var msgtype = "text"
            let text: Text
        }

        /// Feishu: {"msg_type": "text", "content": {"text": …}}.
        struct FeishuText: Encodable {
            struct Content: Encodable { let text: String }
            var msgType = "text"
            let content: Content
            enum CodingKeys: String, CodingKey { case msgType = "msg_type", content }
        }

        case event(Event), robot(RobotText), feishu(FeishuText)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .event(let body): try body.encode(to: encoder)
            case .robot(let body): try body.encode(to: encoder)
            case .feishu(let body): try body.encode(to: encoder)
            }
        }
    }

    static func payload(_ stored: StoredOutboxMessage, format: Format) -> Payload {
        let message = stored.message
        let text = message.subject + "\n\n" + message.body
        switch format {
        case .generic:
            return .event(.init(id: stored.id.rawValue, customer: message.customer.rawValue, channel: message.channel.rawValue,
                                language: message.language, subject: message.subject, body: message.body))
        case .wecom, .dingtalk: return .robot(.init(text: .init(content: text)))
        case .feishu: return .feishu(.init(content: .init(text: text)))
        }
    }

    public func deliver(_ message: StoredOutboxMessage) async throws {
        var request = URLRequest(url: url, timeoutInterval: Self.timeoutSeconds)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        request.httpBody = try encoder.encode(Self.payload(message, format: format))
        let (data, response): (Data, URLResponse)
        do { (data, response) = try await URLSession.shared.data(for: request) } catch {
            throw DeliveryError("\(url.host ?? "the webhook") could not be reached: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw DeliveryError("the webhook answered HTTP \(status)") }
        // The chat robots answer 200 with an error code in the body.
        if format != .generic, let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let code = (answer["errcode"] ?? answer["code"] ?? answer["StatusCode"]) as? Int ?? 0
            guard code == 0 else {
                throw DeliveryError("the \(format.rawValue) robot refused the message: \(code) \(answer["errmsg"] ?? answer["msg"] ?? "")")
            }
        }
    }
}

/// Printable letters: each message as an HTML page with print CSS (A4), written to a folder for the
/// office to print and post.
public struct LetterTransport: OutboxTransport {
    public let folder: URL
    /// The company's letterhead and bank account, read when a letter is written.
    public let company: @Sendable () async -> CompanyProfile

    public init(folder: URL, company: @escaping @Sendable () async -> CompanyProfile = { CompanyProfile() }) {
        self.folder = folder
        self.company = company
    }

    public func deliver(_ message: StoredOutboxMessage) async throws {
        let company = await company()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(OutboxLetter.html(message, company: company).utf8).write(to: folder.appendingPathComponent("letter-\(message.id).html"), options: .atomic)
        } catch {
            throw DeliveryError("the letter could not be written to \(folder.path): \(error.localizedDescription)")
        }
    }
}

/// Where each channel goes, read from the environment of `arbook serve` or `arbook outbox send`:
/// ARBOOK_SENDMAIL (default "/usr/sbin/sendmail -t -i") and ARBOOK_MAIL_FROM for email; ARBOOK_WEBHOOK_URL,
/// ARBOOK_WECOM_URL, ARBOOK_DINGTALK_URL, ARBOOK_FEISHU_URL for the robots; ARBOOK_LETTERS (a folder) for letters.
public enum DeliveryConfiguration {
    /// The transports the environment configures; letters are headed with the company of `storage`'s book.
    public static func transports(environment: [String: String], storage: (any BookStorage)? = nil) -> [DunningChannel: any OutboxTransport] {
        var transports: [DunningChannel: any OutboxTransport] = [:]
        if let from = environment["ARBOOK_MAIL_FROM"] {
            let command = (environment["ARBOOK_SENDMAIL"] ?? "/usr/sbin/sendmail -t -i").split(separator: " ").map(String.init)
            transports[.email] = SendmailTransport(command: command, from: from)
        }
        let hooks: [(DunningChannel, String, WebhookTransport.Format)] = [
            (.webhook, "ARBOOK_WEBHOOK_URL", .generic), (.wecom, "ARBOOK_WECOM_URL", .wecom),
            (.dingtalk, "ARBOOK_DINGTALK_URL", .dingtalk), (.feishu, "ARBOOK_FEISHU_URL", .feishu),
        ]
        for (channel, key, format) in hooks {
            if let text = environment[key], let url = URL(string: text), ["http", "https"].contains(url.scheme ?? "") {
                transports[channel] = WebhookTransport(url: url, format: format)
            }
        }
        if let folder = environment["ARBOOK_LETTERS"] {
            transports[.letter] = LetterTransport(folder: URL(fileURLWithPath: folder)) {
                guard let storage else { return CompanyProfile() }
                return (try? await CompanySettings(storage: storage, caller: Caller(principal: .commandLine, now: Caller.systemTime)).profile())
                    ?? CompanyProfile()
            }
        }
        return transports
    }
}
