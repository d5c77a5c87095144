import ArgumentParser
import Bookkeeping
import Foundation
import Receivables

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the people who sign in to the book.",
        subcommands: [Add.self, Passwd.self, List.self, Disable.self, Enable.self, Assign.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; the password is read from standard input or asked for.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The sign-in name.") var name: String
        @Option(help: "admin, accountant, collector, manager or auditor.") var role: RoleArgument
        @Option(help: "The name shown in the application.") var displayName: String = ""

        func run() async throws {
            try await Failure.run {
                let users = Users(storage: try await book.open(), caller: .commandLine)
                let user = try await users.add(name: name, displayName: displayName, password: try readPassword(), role: role.role)
                emit("Added \(user.name) (\(user.role.rawValue)).\n")
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (read from standard input or asked for).")
        @OptionGroup var book: BookOptions
        @Argument var name: String

        func run() async throws {
            try await Failure.run {
                try await Users(storage: try await book.open(), caller: .commandLine).setPassword(name: name, password: try readPassword())
                emit("Password of \(name) changed.\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users.")
        @OptionGroup var book: BookOptions

        func run() async throws {
            try await Failure.run {
                for user in try await Users(storage: try await book.open(), caller: .commandLine).list() {
                    emit("\(user.name)\t\(user.role.rawValue)\t\(user.disabled ? "disabled" : "active")\t\(user.displayName)\n")
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a user from signing in.")
        @OptionGroup var book: BookOptions
        @Argument var name: String

        func run() async throws {
            try await Failure.run {
                try await Users(storage: try await book.open(), caller: .commandLine).setDisabled(name: name, true)
                emit("\(name) can no longer sign in.\n")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled user sign in again.")
        @OptionGroup var book: BookOptions
        @Argument var name: String

        func run() async throws {
            try await Failure.run {
                try await Users(storage: try await book.open(), caller: .commandLine).setDisabled(name: name, false)
                emit("\(name) can sign in again.\n")
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign customers to a collector, who then sees only those.")
        @OptionGroup var book: BookOptions
        @Argument(help: "The collector's name.") var name: String
        @Argument(help: "Customer codes.") var customers: [String]

        func run() async throws {
            try await Failure.run {
                try await Users(storage: try await book.open(), caller: .commandLine)
                    .assign(customers: customers.map(Customer.Code.init), to: name)
                emit("Assigned \(customers.count) customer(s) to \(name).\n")
            }
        }
    }
}

struct RoleArgument: ExpressibleByArgument {
    let role: Role
    init?(argument: String) {
        guard let role = Role(rawValue: argument) else { return nil }
        self.role = role
    }
    static var allValueStrings: [String] { Role.allCases.map(\.rawValue) }
}

/// A password from the terminal without echo, or the first line of standard input when it is not a terminal.
func readPassword() throws -> String {
    if isatty(STDIN_FILENO) != 0, let typed = getpass("Password: ") {
        return String(cString: typed)
    }
    guard let line = Swift.readLine(strippingNewline: true) else {
        throw BookError.invalid(field: "password", reason: "give it on standard input")
    }
    return line
}
