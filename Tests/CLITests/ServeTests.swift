import Foundation
import SQLiteBook
import TestBooks
import Testing

/// `arbook serve` as an operator runs it.
@Suite struct ServeTests {
    /// A service manager stops a server with SIGTERM: it stops taking requests, finishes what it was
    /// doing (the scheduler's tick, the answers under way) and exits 0, which the manager reads as a
    /// clean stop rather than a crash.
    @Test func sigtermStopsTheServerGracefullyWithExitZero() async throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let port = try SeveralServersTests.freePort()
        let server = try cli.start("serve", "--port", String(port))
        try await SeveralServersTests.waitForHealth(port: port)
        server.terminate()  // SIGTERM
        server.waitUntilExit()
        #expect(server.terminationReason == .exit)
        #expect(server.terminationStatus == 0)
    }
}

@Suite struct AuditVerifyCommandTests {
    @Test func verifySaysIntactOrNamesTheFirstBrokenLinkWithExitOne() throws {
        let cli = try CommandTests().loaded(CLI.sqlite())
        let intact = try cli.run("audit", "verify")
        #expect(intact.status == 0)
        #expect(intact.out.contains("audit chain intact: 3 records linked; journal chain intact: 4 entries sealed"))
        #expect(try cli.run("audit", "--limit", "2").out.contains("import"))
    }
}

extension AuditVerifyCommandTests {
    @Test func aRecordChangedInTheFileIsNamedAndExitsOne() async throws {
        let cli = try CommandTests().loaded(CLI.sqlite())
        let book = try SQLiteBook(path: cli.database, create: false)
        try await tamper(book, "DROP TRIGGER audit_is_append_only_update")
        try await tamper(book, "UPDATE audit SET actor = 'someone else' WHERE id = 2")
        let broken = try cli.run("audit", "verify")
        #expect(broken.status == 1)
        #expect(broken.out.contains("audit chain BROKEN at link 2 (audit record 2)"))
    }
}
