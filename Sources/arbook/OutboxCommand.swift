import ArgumentParser
import BookFormats
import Bookkeeping
import Delivery
import Foundation
import Receivables

/// `arbook outbox list|show|resend|send`: the messages dunning writes and their delivery.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "The outbox (待发消息): list, show, resend, and send what is due.",
        subcommands: [List.self, Show.self, Resend.self, Send.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Messages, newest first, with their status.")
        @OptionGroup var book: BookOptions
        @Option(help: "pending, sent or failed.") var status: String?
        @Option(help: "How many.") var limit = 50

        func run() async throws {
            try await Failure.run {
                let chosen = try status.map { text in
                    guard let parsed = OutboxStatus(rawValue: text) else { throw BookError.invalid(field: "--status", reason: "pending, sent or failed") }
                    return parsed
                }
                for stored in try await Outbox(storage: try await book.open(), caller: .commandLine).messages(status: chosen, limit: limit) {
                    emit("\(stored.id)\t\(stored.status.rawValue)\t\(stored.attempts)\t\(stored.message.channel.rawValue)\t"
                         + "\(stored.message.recipient)\t\(stored.message.subject)\t\(stored.lastError ?? "")\n")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One message as it is (or was) sent.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The message's number.") var id: StoredOutboxMessage.ID
        @Flag(help: "As a printable HTML letter.") var html = false

        func run() async throws {
            try await Failure.run {
                let storage = try await book.open()
                let stored = try await Outbox(storage: storage, caller: .commandLine).message(id)
                if html {
                    let company = try await CompanySettings(storage: storage, caller: .commandLine).profile()
                    return emit(OutboxLetter.html(stored, company: company) + "\n")
                }
                emit("To: \(stored.message.recipient) (\(stored.message.channel.rawValue), \(stored.message.language))\n"
                     + "Subject: \(stored.message.subject)\nStatus: \(stored.status.rawValue) after \(stored.attempts) attempts"
                     + (stored.lastError.map { " — \($0)" } ?? "") + "\n\n\(stored.message.body)\n")
            }
        }
    }

    struct Resend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a message again for the next pass.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The message's number.") var id: StoredOutboxMessage.ID

        func run() async throws {
            try await Failure.run {
                try await Outbox(storage: try await book.open(), caller: .commandLine).resend(id)
                emit("Message \(id) is queued again.\n")
            }
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One pass of the sender: each message due is tried once over its channel (configured as for 'arbook serve').")
        @OptionGroup var book: BookOptions

        func run() async throws {
            try await Failure.run {
                let storage = try await book.open()
                let pass = try await Outbox(storage: storage, caller: .commandLine).sendDue(
                    now: Int64(Date().timeIntervalSince1970),
                    transports: DeliveryConfiguration.transports(environment: ProcessInfo.processInfo.environment, storage: storage))
                emit("\(pass.sent) sent, \(pass.retrying) to retry, \(pass.failed) given up.\n")
            }
        }
    }
}
