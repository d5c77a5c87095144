import Bookkeeping
import Foundation
import PostgresBook
import Receivables
import TestBooks
import Testing

/// Several servers on one PostgreSQL book: each opens the book itself (its own pool), as two
/// `arbook serve` processes do. The daily jobs must run once whichever servers run them.
@Suite(.enabled(if: Engine.postgresServer != nil))
struct SharedBookJobsTests {
    /// A book on the test server with 30 customers, each with an invoice long overdue, and a second
    /// handle on the same database.
    func sharedBook() async throws -> (first: TestBook, second: TestBook) {
        let url = try Engine.freshDatabase()
        let first = TestBook(storage: try PostgresBook(url: url, create: true, connections: 8))
        for index in 0..<30 {
            try await first.customer("K\(index)")
            try await first.invoice("F\(index)", "K\(index)", "2026-01-01", "\(1000 + index)")
        }
        let second = TestBook(storage: try PostgresBook(url: url, connections: 8))
        return (first, second)
    }

    @Test func theDaysDunningRunsOnceWhenTwoServersStartItTogether() async throws {
        let (first, second) = try await sharedBook()
        let day = TestBook.day("2026-04-01")
        async let one = Collections(storage: first.storage, caller: first.caller).run(asOf: day, approve: true)
        async let two = Collections(storage: second.storage, caller: second.caller).run(asOf: day, approve: true)
        let outcomes = try await [one, two]
        #expect(outcomes.filter(\.alreadyRun).count == 1)
        let done = try #require(outcomes.first { !$0.alreadyRun })
        #expect(done.notices.count == 30)
        // Every customer got exactly the one notice of the day.
        for index in 0..<30 {
            let notices = try await first.storage.read { reader -> [NoticeRecord] in
                guard let customer = try reader.customer(code: Customer.Code("K\(index)")) else { return [] }
                return try reader.notices(customer: customer.id)
            }
            #expect(notices.count == 1, "K\(index)")
        }
        try await first.expectTiesOut()
    }

    @Test func aServerThatStartedBeforeItsBookWasThereUsesItOnceItIs() async throws {
        let url = try Engine.freshDatabase()
        let early = TestBook(storage: try PostgresBook(url: url))
        // Refused because the database is missing, not for any other reason.
        await #expect {
            try await early.reports.aging(.init(asOf: TestBook.day("2026-01-31")))
        } throws: { error in
            guard let storage = error as? StorageError else { return false }
            return storage.code == .unavailable && storage.message.hasPrefix("the database does not exist")
        }
        let creator = TestBook(storage: try PostgresBook(url: url, create: true))
        try await creator.customer("K1")
        try await creator.invoice("F1", "K1", "2026-01-01", "10.00")
        // The same handle, tried again: it opens now.
        #expect(try await early.aging("2026-01-31").totalBalance.minorUnits == 1000)
    }

    static func all(_ transport: CountingTransport) -> [DunningChannel: any OutboxTransport] {
        Dictionary(uniqueKeysWithValues: DunningChannel.allCases.map { ($0, transport as any OutboxTransport) })
    }

    @Test func twoSendersDeliverEachMessageOnce() async throws {
        let (first, second) = try await sharedBook()
        let run = try await Collections(storage: first.storage, caller: first.caller).run(asOf: TestBook.day("2026-04-01"), approve: true)
        #expect(run.messages > 0)
        let transport = CountingTransport()
        let now = Int64(Date().timeIntervalSince1970) + 3600
        async let one = Outbox(storage: first.storage, caller: first.caller).sendDue(now: now, transports: Self.all(transport))
        async let two = Outbox(storage: second.storage, caller: second.caller).sendDue(now: now, transports: Self.all(transport))
        let passes = try await [one, two]
        #expect(passes.reduce(0) { $0 + $1.sent } == run.messages)
        #expect(transport.deliveries.count == run.messages)
        #expect(Set(transport.deliveries).count == run.messages, "a message was delivered twice")
    }
}

/// Records what it is asked to deliver.
final class CountingTransport: OutboxTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var delivered: [Int64] = []
    var deliveries: [Int64] { lock.withLock { delivered } }

    func deliver(_ message: StoredOutboxMessage) async throws {
        try await Task.sleep(for: .milliseconds(2))
        lock.withLock { delivered.append(message.id.rawValue) }
    }
}

/// What opening a PostgreSQL book refuses: a database holding other tables, a book written by a newer
/// arbook.
@Suite(.enabled(if: Engine.postgresServer != nil))
struct PostgresOpeningTests {
    /// Runs SQL on the database at `url` with psql (PostgreSQL's client, installed with the server).
    func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "psql: \(sql)")
    }

    @Test func aDatabaseWithOtherTablesIsNotTakenForABook() async throws {
        let url = try Engine.freshDatabase()
        _ = try await TestBook(storage: try PostgresBook(url: url, create: true)).customer("K1")
        let other = url.replacingOccurrences(of: "arbook_test_", with: "other_")
        try psql(url, "CREATE DATABASE \(URL(string: other)!.lastPathComponent)")
        try psql(other, "CREATE TABLE payroll (id int)")
        let book = try PostgresBook(url: other, create: true)
        await #expect { try await book.opened() } throws: { ($0 as? StorageError)?.code == .incompatible }
    }

    @Test func aBookWrittenByANewerArbookIsRefused() async throws {
        let url = try Engine.freshDatabase()
        let book = TestBook(storage: try PostgresBook(url: url, create: true))
        try await book.customer("K1")
        try psql(url, "INSERT INTO arbook_migration (name, applied_at) VALUES ('v99-from-the-future', 'now')")
        let again = try PostgresBook(url: url)
        await #expect { try await again.opened() } throws: { error in
            (error as? StorageError).map { $0.code == .incompatible && $0.message.contains("v99-from-the-future") } ?? false
        }
    }
}
