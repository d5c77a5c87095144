import Bookkeeping
@testable import Delivery
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Receivables
import TestBooks
import Testing

/// A book whose customer K1 (dunning in `language`, email ar@k1.example) owes F1, 45 days late on
/// 2026-03-17, and whose dunning for that day has run: a warning by email and by letter.
struct DunnedBook {
    let storage: any BookStorage
    let folder: URL
    static let caller = Caller(principal: .commandLine, now: { "2026-03-17T08:00:00Z" })
    static let now: Int64 = 1_773_734_400 // 2026-03-17T08:00:00Z

    init(language: String = "zh-CN", email: String = "ar@k1.example", runDunning: Bool = true) async throws {
        folder = try Scratch.folder("delivery")
        storage = try Engine.default.makeStorage()
        let billing = Billing(storage: storage, caller: Self.caller)
        _ = try await billing.addCustomer(Customer(code: Customer.Code("K1"), name: "华南贸易有限公司", email: email))
        _ = try await billing.issueInvoice(InvoiceDraft(number: DocumentNumber("F1"), customer: Customer.Code("K1"),
                                                        issue: Day(year: 2026, month: 1, day: 1)!, amount: Money(minorUnits: 123_456, currency: .cny)))
        if runDunning { _ = try await Collections(storage: storage, caller: Self.caller).run(asOf: Day(year: 2026, month: 3, day: 17)!, approve: true) }
    }

    /// A sendmail-compatible sink: keeps each message it is given as a file in `mail/`, or fails with `status`.
    func sink(status: Int = 0) throws -> [String] {
        let script = folder.appendingPathComponent("sendmail-sink.sh")
        try "#!/bin/sh\nmkdir -p \"$1\"\ncat > \"$1/$(date +%s%N).eml\"\necho refused >&2\nexit \(status)\n"
            .write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return [script.path, folder.appendingPathComponent("mail").path]
    }

    var mail: [String] {
        let box = folder.appendingPathComponent("mail")
        return ((try? FileManager.default.contentsOfDirectory(atPath: box.path)) ?? []).sorted().compactMap {
            try? String(contentsOf: box.appendingPathComponent($0), encoding: .utf8)
        }
    }

    func messages() async throws -> [StoredOutboxMessage] {
        try await Outbox(storage: storage, caller: Self.caller).messages(status: nil).sorted { $0.id < $1.id }
    }
}

/// Received webhook bodies.
actor Received {
    var bodies: [Data] = []
    func add(_ body: Data) { bodies.append(body) }
}

@Suite struct DeliveryTests {
    func decodedBody(_ mail: String) -> String {
        let parts = mail.components(separatedBy: "\r\n\r\n")
        let base64 = parts.dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
        return String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self)
    }

    @Test func emailAndLettersArriveAndTheirStatusIsKept() async throws {
        let book = try await DunnedBook()
        let before = try await book.messages()
        #expect(before.map(\.message.channel) == [.email, .letter])
        let letters = book.folder.appendingPathComponent("letters")
        let transports: [DunningChannel: any OutboxTransport] = [
            .email: SendmailTransport(command: try book.sink(), from: "ar@seller.example"), .letter: LetterTransport(folder: letters),
        ]
        let pass = try await Outbox(storage: book.storage, caller: DunnedBook.caller).sendDue(now: DunnedBook.now, transports: transports)
        #expect(pass.sent == 2 && pass.failed == 0 && pass.retrying == 0)
        let mail = try #require(book.mail.first)
        #expect(book.mail.count == 1)
        #expect(mail.contains("To: ar@k1.example\r\n") && mail.contains("From: ar@seller.example\r\n"))
        #expect(mail.contains("Content-Type: text/plain; charset=UTF-8"))
        // The subject is an encoded word that reads back as the Chinese subject.
        let subjectLine = try #require(mail.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") })
        let encoded = subjectLine.dropFirst("Subject: =?UTF-8?B?".count).prefix { $0 != "?" }
        #expect(String(decoding: Data(base64Encoded: String(encoded)) ?? Data(), as: UTF8.self).hasPrefix("【逾期催款通知（第 4 级）】"))
        let body = decodedBody(mail)
        #expect(body.contains("F1") && body.contains("¥1,234.56") && body.contains("合计"))
        let letter = try String(contentsOf: letters.appendingPathComponent("letter-\(before[1].id).html"), encoding: .utf8)
        #expect(letter.contains("@page { size: A4") && letter.contains("华南贸易有限公司") && letter.contains("<td>F1</td>"))
        let after = try await book.messages()
        #expect(after.map(\.status) == [.sent, .sent])
        #expect(after.allSatisfy { $0.attempts == 1 && $0.sentAt == "2026-03-17T08:00:00Z" })
        // Nothing is due any more: a second pass sends nothing.
        #expect(try await Outbox(storage: book.storage, caller: DunnedBook.caller).sendDue(now: DunnedBook.now + 60, transports: transports) == OutboxPass())
    }

    @Test func aFailureIsRetriedWithBackoffThenGivenUpUntilResent() async throws {
        let book = try await DunnedBook()
        let outbox = Outbox(storage: book.storage, caller: DunnedBook.caller)
        let failing: [DunningChannel: any OutboxTransport] = [.email: SendmailTransport(command: try book.sink(status: 75), from: "ar@seller.example")]
        var now = DunnedBook.now
        _ = try await outbox.sendDue(now: now, transports: failing)
        var email = try #require(try await book.messages().first)
        #expect(email.status == .pending && email.attempts == 1)
        #expect(email.lastError?.contains("exited with status 75") == true && email.lastError?.contains("refused") == true)
        #expect(email.nextAttemptAt == Timestamp.iso(now + 60))
        // Not due before its time; each next wait doubles.
        #expect(try await outbox.sendDue(now: now + 59, transports: failing).retrying == 0)
        for attempt in 2...Outbox.attemptsMax {
            now = now + Outbox.backoffSeconds(afterAttempt: attempt - 1)
            _ = try await outbox.sendDue(now: now, transports: failing)
            email = try #require(try await book.messages().first)
            #expect(email.attempts == attempt)
        }
        #expect(email.status == .failed && email.nextAttemptAt == nil)
        #expect(Outbox.backoffSeconds(afterAttempt: 3) == 240 && Outbox.backoffSeconds(afterAttempt: 30) == 6 * 3600)
        try await outbox.resend(email.id)
        let working: [DunningChannel: any OutboxTransport] = [.email: SendmailTransport(command: try book.sink(), from: "ar@seller.example")]
        #expect(try await outbox.sendDue(now: DunnedBook.now + 86_400, transports: working).sent == 1)
        #expect(try await book.messages().first?.status == .sent)
    }

    @Test func aMessageWithoutAnAddressOrTransportFailsItsAttemptNamingWhy() async throws {
        let book = try await DunnedBook(email: "")
        _ = try await Outbox(storage: book.storage, caller: DunnedBook.caller)
            .sendDue(now: DunnedBook.now, transports: [.email: SendmailTransport(command: try book.sink(), from: "ar@seller.example")])
        let messages = try await book.messages()
        #expect(messages[0].lastError?.contains("no valid email address") == true)
        #expect(messages[1].lastError == "no letter transport is configured")
        #expect(book.mail.isEmpty)
    }

    @Test(arguments: WebhookTransport.Format.allCases)
    func webhooksArriveInTheirReceiversFormat(format: WebhookTransport.Format) async throws {
        let book = try await DunnedBook(language: "zh-CN")
        let received = Received()
        let router = Router()
        router.post("hook") { request, context -> Response in
            await received.add(Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            let answer = format == .feishu ? #"{"code": 0, "msg": "success"}"# : #"{"errcode": 0, "errmsg": "ok"}"#
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        router.post("refuse") { _, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"errcode": 93000, "errmsg": "invalid webhook url"}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "hook"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/hook"))
            let message = try #require(try await book.messages().first)
            try await WebhookTransport(url: url, format: format).deliver(message)
            let data = try #require(await received.bodies.first)
            let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            switch format {
            case .generic:
                #expect(body["event"] as? String == "dunning" && body["channel"] as? String == "email")
                #expect((body["body"] as? String)?.contains("¥1,234.56") == true)
            case .wecom, .dingtalk:
                #expect(body["msgtype"] as? String == "text")
                #expect(((body["text"] as? [String: Any])?["content"] as? String)?.contains("F1") == true)
            case .feishu:
                #expect(body["msg_type"] as? String == "text")
                #expect(((body["content"] as? [String: Any])?["text"] as? String)?.contains("F1") == true)
            }
            if format != .generic {
                let refusing = try #require(URL(string: "http://127.0.0.1:\(port)/refuse"))
                await #expect(throws: DeliveryError.self) { try await WebhookTransport(url: refusing, format: format).deliver(message) }
            }
        }
    }

    @Test func addressesThatCouldInjectHeadersAreRefused() {
        #expect(MailMessage.isAddress("ar@k1.example"))
        for bad in ["", "ar", "ar@", "@k1.example", "ar@k1", "a r@k1.example", "ar@k1.example\r\nBcc: x@y.z", "a<b>@k1.example", "a@b.c,d@e.f"] {
            #expect(!MailMessage.isAddress(bad), "\(bad)")
        }
        #expect(MailMessage.encodedWord("plain subject") == "plain subject")
        let long = String(repeating: "应收账款", count: 10)
        let words = MailMessage.encodedWord(long).components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { word in
            String(decoding: Data(base64Encoded: String(word.dropFirst("=?UTF-8?B?".count).dropLast(2))) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == long)
    }

    @Test func theServerRunsTheDayOnceFromItsHourAndSendsTheOutbox() async throws {
        let book = try await DunnedBook(runDunning: false)
        let transports: [DunningChannel: any OutboxTransport] = [
            .email: SendmailTransport(command: try book.sink(), from: "ar@seller.example"),
            .letter: LetterTransport(folder: book.folder.appendingPathComponent("letters")),
        ]
        let service = { (hour: Int, day: Int) in
            CollectionsService(storage: book.storage, transports: transports, dunningHour: 7, clock: { DunnedBook.now },
                               today: { Day(year: 2026, month: 3, day: day)! }, hour: { hour }, logger: Logger(label: "test"))
        }
        await service(6, 17).tick()
        #expect(try await book.messages().isEmpty)
        // The book's first run, on overdue debt, waits for a manager's approval: nothing is sent.
        await service(8, 17).tick()
        #expect(try await book.messages().isEmpty)
        #expect(try await book.storage.read { try $0.dunningRunExists(day: Day(year: 2026, month: 3, day: 17)!) } == false)
        _ = try await Collections(storage: book.storage, caller: DunnedBook.caller).run(asOf: Day(year: 2026, month: 3, day: 17)!, approve: true)
        await service(9, 17).tick()
        let messages = try await book.messages()
        #expect(messages.map(\.status) == [.sent, .sent])
        #expect(book.mail.count == 1)
        #expect(try await book.storage.read { try $0.dunningRunExists(day: Day(year: 2026, month: 3, day: 17)!) })
    }
}

/// A day whose plan waits for approval is looked at again only after a while, not on every pass.
@Suite struct WaitingDayTests {
    @Test func aWaitingDayIsRecheckedAfterItsIntervalOrOnANewDay() {
        let waiting = CollectionsService.WaitingDay()
        let day = Day(year: 2026, month: 3, day: 17)!
        #expect(!waiting.isFresh(day, now: 1_000, seconds: 600), "nothing is waiting yet")
        waiting.set(day, now: 1_000)
        #expect(waiting.isFresh(day, now: 1_599, seconds: 600))
        #expect(!waiting.isFresh(day, now: 1_600, seconds: 600), "looked at again after the interval")
        #expect(!waiting.isFresh(day.advanced(by: 1), now: 1_100, seconds: 600), "a new day is looked at at once")
        waiting.set(nil, now: 1_100)
        #expect(!waiting.isFresh(day, now: 1_100, seconds: 600), "a day that ran no longer waits")
    }
}
