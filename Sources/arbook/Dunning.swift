import ArgumentParser
import BookFormats
import Bookkeeping
import Foundation
import Receivables

/// `arbook dunning …`: the dunning run (催收) and its settings.
struct DunningCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dunning", abstract: "Dunning (催收): plan and run the reminders of a day, exempt customers, set policies.",
        subcommands: [Plan.self, Run.self, Exempt.self, Policy.self, Language.self, Waive.self, Gate.self])

    struct Gate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set the shares of customers put on hold, or handed to legal, above which a run waits for approval.")
        @OptionGroup var book: BookOptions
        @Option(help: "Percent of the book's customers a run may put on credit hold without approval (0–100).") var holdShare: Int?
        @Option(help: "Percent of the book's customers a run may hand over to legal without approval (0–100).") var legalShare: Int?

        func run() async throws {
            try await Failure.run {
                let collections = Collections(storage: try await book.open(), caller: .commandLine)
                if holdShare != nil || legalShare != nil { try await collections.setGateShares(holds: holdShare, legal: legalShare) }
                let shares = try await collections.gateShares()
                emit("A run waits for approval when it would put more than \(shares.holds)% of the customers on credit hold, "
                     + "or hand more than \(shares.legal)% over to legal, and on a book's first run on overdue debt.\n")
            }
        }
    }

    struct Language: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The language dunning writes to a customer in (zh-CN or en).")
        @OptionGroup var book: BookOptions
        @Argument(help: "The customer's code.") var customer: String
        @Argument(help: "zh-CN or en.") var language: String

        func run() async throws {
            try await Failure.run {
                try await Collections(storage: try await book.open(), caller: .commandLine).setLanguage(Customer.Code(customer), language)
                emit("\(customer) is written to in \(language).\n")
            }
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show exactly what the run for a day would send and charge; changes nothing.")
        @OptionGroup var book: BookOptions
        @Option(help: "The day (YYYY-MM-DD; default today).") var asOf: Day?
        @Option(help: "table or json.") var format: PlanFormat = .table

        func run() async throws {
            try await Failure.run {
                let day = asOf ?? Day.today()
                // Mapped: the plan reads every open item and allocation of the book once.
                let preview = try await Collections(storage: try await book.open(memoryMapped: 4 << 30), caller: .commandLine).preview(asOf: day)
                emit(format == .json ? DunningFormats.json(preview.notices, asOf: day) : DunningFormats.table(preview.notices, asOf: day))
                if format == .table, !preview.reasons.isEmpty {
                    emit("\nThis plan waits for approval ('arbook dunning run --approve'):\n" + preview.reasons.map { "  - \($0)\n" }.joined())
                }
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send (through the outbox) and charge what the plan holds; a day runs once, running it again changes nothing.")
        @OptionGroup var book: BookOptions
        @Option(help: "The day (YYYY-MM-DD; default today).") var asOf: Day?
        @Option(help: "table or json.") var format: PlanFormat = .table
        @Flag(help: "Approve the plan where it waits for a manager's approval (a first run on a book with overdue debt, or many holds or hand-overs at once); see 'dunning plan'.")
        var approve = false

        func run() async throws {
            try await Failure.run {
                let day = asOf ?? Day.today()
                let outcome = try await Collections(storage: try await book.open(), caller: .commandLine).run(asOf: day, approve: approve)
                if outcome.alreadyRun {
                    emit("The dunning run for \(day) was done already: nothing sent, nothing charged.\n")
                    return
                }
                if !outcome.awaitingApproval.isEmpty {
                    emit("The dunning run for \(day) waits for approval: nothing sent, nothing charged.\n"
                         + outcome.awaitingApproval.map { "  - \($0)\n" }.joined()
                         + "Check the plan ('arbook dunning plan --as-of \(day)'), then run it with --approve.\n")
                    throw ExitCode(3)
                }
                if format == .json {
                    emit(DunningFormats.json(outcome.notices, asOf: day))
                } else {
                    emit(DunningFormats.table(outcome.notices, asOf: day))
                    emit("\n\(outcome.messages) messages in the outbox; \(outcome.feeInvoices.count) late fees charged; "
                         + "\(outcome.holds.count) customers put on credit hold.\n")
                }
            }
        }
    }

    struct Exempt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Exempt a customer from dunning (--off ends it).")
        @OptionGroup var book: BookOptions
        @Argument(help: "The customer's code.") var customer: String
        @Flag(help: "End the exemption.") var off = false

        func run() async throws {
            try await Failure.run {
                try await Collections(storage: try await book.open(), caller: .commandLine).exempt(Customer.Code(customer), !off)
                emit(off ? "\(customer) is dunned again.\n" : "\(customer) is exempt from dunning.\n")
            }
        }
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a dunning policy from a JSON file and assign it to customer categories (a policy named 'default' replaces the built-in one).")
        @OptionGroup var book: BookOptions
        @Argument(help: "The policy's JSON file (see docs/collections.md).") var file: String
        @Option(name: .customLong("category"), help: "A customer category that follows this policy (repeatable).") var categories: [String] = []
        @Option(name: .customLong("customer"), help: "A customer who follows this policy, before their category's (repeatable).") var customers: [String] = []

        func run() async throws {
            try await Failure.run {
                guard let data = FileManager.default.contents(atPath: file), data.count <= 64 * 1024 else {
                    throw BookError.invalid(field: "file", reason: "\(file) cannot be read or is over 64 KiB")
                }
                let policy = try await Collections(storage: try await book.open(), caller: .commandLine)
                    .savePolicy(String(decoding: data, as: UTF8.self), categories: categories, customers: customers.map { Customer.Code($0) })
                emit("Policy '\(policy.name)' stored: \(policy.levels.map { "\($0.number) \($0.name) (\($0.offsetDays) days)" }.joined(separator: ", ")).\n")
            }
        }
    }

    struct Waive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Waive a late fee: a credit note for what it has open, with the reason.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The late fee's number (LF-…).") var fee: String
        @Option(help: "The credit note's number.") var creditNote: String
        @Option(help: "Why it is waived.") var reason: String
        @Option(help: "The day (default today).") var date: Day?

        func run() async throws {
            try await Failure.run {
                let credit = try await Collections(storage: try await book.open(), caller: .commandLine)
                    .waiveFee(DocumentNumber(fee), waiver: DocumentNumber(creditNote), day: date ?? Day.today(), reason: reason)
                emit("Waived \(credit.amount.decimalString) of \(fee) with credit note \(creditNote).\n")
            }
        }
    }
}

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
