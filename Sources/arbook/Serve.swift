import ArgumentParser
import Bookkeeping
import Demo
import Delivery
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Receivables
import ReceivablesWeb

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web application and the JSON API until stopped (Ctrl-C or SIGTERM stop it gracefully).")

    @OptionGroup var book: BookOptions

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8080

    @Flag(help: "Start on a fresh demo book (a --database file is replaced; a PostgreSQL database must hold no book) and print a demo login.")
    var demo = false

    @Flag(help: "Mark cookies Secure (set this when users reach the server over TLS).")
    var secureCookies = false

    @Option(help: "The address users reach the server at (e.g. https://ar.example.cn); an https address marks cookies Secure.")
    var publicURL: String?

    @Option(help: "Run the day's dunning from this local hour (0-23); off without it. Channels come from ARBOOK_MAIL_FROM, ARBOOK_SENDMAIL, ARBOOK_WEBHOOK_URL, ARBOOK_WECOM_URL, ARBOOK_DINGTALK_URL, ARBOOK_FEISHU_URL and ARBOOK_LETTERS.")
    var dunningHour: Int?

    @Option(help: "Seconds between two passes of the outbox sender.")
    var outboxInterval: Int = 30

    @Option(help: "At most this many transactions at once on a PostgreSQL book (its connection pool).")
    var connections: Int = 32

    func run() async throws {
        try await Failure.run {
            guard (1...65_535).contains(port) else { throw BookError.invalid(field: "--port", reason: "1 to 65535") }
            if let dunningHour, !(0...23).contains(dunningHour) { throw BookError.invalid(field: "--dunning-hour", reason: "0 to 23") }
            guard (1...500).contains(connections) else { throw BookError.invalid(field: "--connections", reason: "1 to 500") }
            guard (1...3600).contains(outboxInterval) else { throw BookError.invalid(field: "--outbox-interval", reason: "1 to 3600 seconds") }
            // The server maps up to 4 GiB of the book: its requests read pages all over it.
            let storage = demo ? try await makeDemo() : try await book.open(memoryMapped: 4 << 30, connections: connections)
            if !demo, try await Users.needsFirstAdmin(storage: storage) {
                emit("No users yet: add the first with 'arbook user add NAME --role admin --database \(book.name)',\n"
                     + "or open http://127.0.0.1:\(port)/setup on this machine.\n")
            }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            var logger = Logger(label: "arbook")
            logger.logLevel = .info
            let collections = CollectionsService(
                storage: storage, transports: DeliveryConfiguration.transports(environment: ProcessInfo.processInfo.environment, storage: storage),
                dunningHour: dunningHour, interval: .seconds(outboxInterval), clock: { Int64(Date().timeIntervalSince1970) },
                today: { Day.today() }, logger: logger)
            let app = try await buildApplication(settings: ServerSettings(host: host, port: port,
                                                                                 secureCookies: secureCookies || publicURL?.lowercased().hasPrefix("https://") == true),
                                                 storage: storage, registry: registry, today: { Day.today() }, logger: logger,
                                                 services: [collections])
            emit("arbook is serving \(book.name) at http://\(host):\(port)/\n")
            try await app.runService()
        }
    }

    /// A new demo book with an admin whose password and API token are printed once.
    private func makeDemo() async throws -> any BookStorage {
        let storage = try await book.fresh(replace: true)
        _ = try await DemoBook(storage: storage, caller: .commandLine).generate(today: Day.today())
        let password = (0..<4).map { _ in String(Int.random(in: 1000...9999)) }.joined(separator: "-")
        _ = try await Users(storage: storage, caller: .commandLine).add(name: "demo", displayName: "Demo", password: password, role: .admin)
        let token = try await Tokens(storage: storage, caller: .commandLine).create(name: "demo", user: "demo")
        emit("Demo book at \(book.name). Sign in as demo / \(password)\nAPI token (shown once): \(token.token)\n")
        return storage
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API tokens for integrations: shown once, stored hashed, revocable.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token that acts for a user; it is printed once.")
        @OptionGroup var book: BookOptions
        @Argument(help: "What the token is for.") var name: String
        @Option(help: "The user the token acts for.") var user: String
        @Option(help: "The user's own role (default) or auditor for read-only.") var role: RoleArgument?

        func run() async throws {
            try await Failure.run {
                let made = try await Tokens(storage: try await book.open(), caller: .commandLine).create(name: name, user: user, role: role?.role)
                emit("\(made.token)\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never the tokens themselves).")
        @OptionGroup var book: BookOptions

        func run() async throws {
            try await Failure.run {
                for token in try await Tokens(storage: try await book.open(), caller: .commandLine).list() {
                    emit("\(token.id)\t\(token.name)\t\(token.user)\t\(token.role.rawValue)\t\(token.revokedAt.map { "revoked \($0)" } ?? "live")\n")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")
        @OptionGroup var book: BookOptions
        @Argument var id: Int64

        func run() async throws {
            try await Failure.run {
                try await Tokens(storage: try await book.open(), caller: .commandLine).revoke(id)
                emit("Token \(id) revoked.\n")
            }
        }
    }
}
