import Bookkeeping
import TestBooks
import Testing

/// Says, in a plain `swift test`, that the PostgreSQL half of the storage contract did not run.
@Suite struct EngineCoverageTests {
    @Test(.enabled(if: Engine.postgresServer != nil,
                   "ARBOOK_TEST_POSTGRES is not set: the storage contract ran on SQLite only (scripts/test starts a PostgreSQL server)"))
    func theStorageContractAlsoRunsOnPostgreSQL() async throws {
        #expect(Engine.allCases == [.sqlite, .postgres])
        let book = try TestBook(.postgres)
        try await book.customer("K1")
        try await book.expectTiesOut()
    }
}
