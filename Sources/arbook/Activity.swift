import ArgumentParser
import Bookkeeping
import Receivables

/// `arbook activity add`: a call, email, visit or note (沟通记录).
struct ActivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "activity", abstract: "Activities (沟通记录) with customers.",
                                                    subcommands: [Add.self, Timeline.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record what was done and agreed; a next action puts the customer on the worklist on its day.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The customer's code.") var customer: String
        @Option(help: "call, email, visit or note.") var kind: String = "call"
        @Option(help: "What came of it.") var outcome: String
        @Option(help: "The invoice it was about.") var invoice: String?
        @Option(help: "The day (default today).") var date: Day?
        @Option(help: "The day of the next action.") var next: Day?
        @Option(help: "The next action.") var action: String = ""

        func run() async throws {
            try await Failure.run {
                let chosen = try ActivityKind.named(kind, field: "--kind")
                let id = try await Collections(storage: try await book.open(), caller: .commandLine)
                    .recordActivity(customer: Customer.Code(customer), invoice: invoice.map(DocumentNumber.init), kind: chosen,
                                    day: date ?? Day.today(), outcome: outcome, nextActionDay: next, nextAction: action)
                emit("Activity \(id) recorded.\n")
            }
        }
    }

    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A customer's collections history, newest first.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The customer's code.") var customer: String

        func run() async throws {
            try await Failure.run {
                let today = Day.today(), storage = try await book.open()
                let currency = try await Reports(storage: storage, caller: .commandLine).customer(Customer.Code(customer)).customer.currency
                for entry in try await Collections(storage: storage, caller: .commandLine).timeline(customer: Customer.Code(customer), asOf: today) {
                    emit(Self.line(entry, asOf: today, currency: currency) + "\n")
                }
            }
        }

        static func line(_ entry: TimelineEntry, asOf: Day, currency: Currency) -> String {
            let amount = { (money: Money) in money.decimalString }
            switch entry {
            case .activity(let a):
                return "\(a.day)\t\(a.kind.rawValue)\t\(a.actor)\t\(a.outcome)" + (a.nextActionDay.map { "\tnext \($0): \(a.nextAction)" } ?? "")
            case .notice(let n): return "\(n.day)\tdunning level \(n.level) (\(n.levelName))\t\(amount(n.chased))"
            case .promise(let p): return "\(p.made)\tpromise\t\(amount(p.amount)) by \(p.due)\t\(p.promise.status(asOf: asOf).rawValue)"
            case .dispute(let d): return "\(d.opened)\tdispute\t\(d.invoice) \(d.amount.decimalString)\t\(d.status.rawValue)\t\(d.reason)"
            }
        }
    }
}

/// `arbook worklist`: what is worth doing today.
struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worklist", abstract: "The collector's worklist: customers by what is worth doing today.")
    @OptionGroup var book: BookOptions
    @Option(help: "The day (default today).") var asOf: Day?

    func run() async throws {
        try await Failure.run {
            for row in try await Collections(storage: try await book.open(), caller: .commandLine).worklist(asOf: asOf ?? Day.today()) {
                emit("\(row.code)\t\(row.name)\t\(row.overdue.decimalString)\t\(row.daysOverdue) days\t"
                     + row.reasons.map(\.rawValue).joined(separator: ",") + (row.nextAction.map { "\t\($0.day): \($0.action)" } ?? "") + "\n")
            }
        }
    }
}
