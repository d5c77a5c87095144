import ArgumentParser
import Bookkeeping
import Receivables

/// `arbook promise add`: a promise to pay (承诺付款).
struct PromiseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "promise", abstract: "Promises to pay (承诺付款).",
                                                    subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a promise: dunning pauses for what it covers until its day.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The customer's code.") var customer: String
        @Option(help: "The amount promised.") var amount: String
        @Option(help: "The day the customer promised to pay by.") var by: Day
        @Option(help: "The invoice it covers (default: the whole account).") var invoice: String?
        @Option(help: "The day the promise was made (default today).") var date: Day?
        @Option(help: "A note.") var note: String = ""

        func run() async throws {
            try await Failure.run {
                let id = try await Collections(storage: try await book.open(), caller: .commandLine)
                    .promise(customer: Customer.Code(customer), invoice: invoice.map(DocumentNumber.init), amount: amount,
                             made: date ?? Day.today(), due: by, note: note)
                emit("Promise \(id) recorded: \(amount) by \(by).\n")
            }
        }
    }
}

/// `arbook dispute open|resolve|reject|list`: disputes (争议).
struct DisputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dispute", abstract: "Disputes (争议) on invoices.",
                                                    subcommands: [Open.self, Resolve.self, Reject.self, List.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a dispute: the amount stays in aging and leaves dunning.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The invoice's number.") var invoice: String
        @Option(help: "The amount disputed (default: all it has open).") var amount: String?
        @Option(help: "Why.") var reason: String
        @Option(help: "The day (default today).") var date: Day?

        func run() async throws {
            try await Failure.run {
                let id = try await Collections(storage: try await book.open(), caller: .commandLine)
                    .openDispute(invoice: DocumentNumber(invoice), amount: amount, reason: reason, day: date ?? Day.today())
                emit("Dispute \(id) opened on \(invoice).\n")
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve a dispute with a credit note.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The dispute's number.") var id: DisputeRecord.ID
        @Option(help: "The credit note's number.") var creditNote: String
        @Option(help: "The credit note's amount (default: the amount disputed).") var amount: String?
        @Option(help: "How it was resolved.") var resolution: String
        @Option(help: "The day (default today).") var date: Day?

        func run() async throws {
            try await Failure.run {
                try await Collections(storage: try await book.open(), caller: .commandLine)
                    .closeDispute(id, resolved: true, creditNote: DocumentNumber(creditNote), amount: amount, day: date ?? Day.today(),
                                  resolution: resolution)
                emit("Dispute \(id) resolved with credit note \(creditNote).\n")
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a dispute: dunning takes the amount up again.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The dispute's number.") var id: DisputeRecord.ID
        @Option(help: "Why it is rejected.") var resolution: String
        @Option(help: "The day (default today).") var date: Day?

        func run() async throws {
            try await Failure.run {
                try await Collections(storage: try await book.open(), caller: .commandLine)
                    .closeDispute(id, resolved: false, creditNote: nil, amount: nil, day: date ?? Day.today(), resolution: resolution)
                emit("Dispute \(id) rejected.\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disputes with their age and owner.")
        @OptionGroup var book: BookOptions
        @Flag(help: "Closed ones too.") var all = false

        func run() async throws {
            try await Failure.run {
                let disputes = try await Collections(storage: try await book.open(), caller: .commandLine).disputes(status: all ? nil : .open)
                let today = Day.today()
                for dispute in disputes {
                    emit("\(dispute.id)\t\(dispute.invoice)\t\(dispute.amount.decimalString)\t\(dispute.status.rawValue)\t\(dispute.opened.distance(to: dispute.closed ?? today)) days\t\(dispute.owner)\t\(dispute.reason)\n")
                }
            }
        }
    }
}
