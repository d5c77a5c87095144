import Bookkeeping
import PostgresBook
import Testing

/// What `--database postgres://…` accepts and how it is shown.
@Suite struct PostgresLocationTests {
    @Test func aURLNamesUserServerAndDatabaseAndIsShownWithoutItsPassword() throws {
        let location = try PostgresLocation(url: "postgres://ar%40finance:s3cr%2Ft@db.internal:6432/arbook_hq?sslmode=require")
        #expect(location.user == "ar@finance")
        #expect(location.host == "db.internal")
        #expect(location.port == 6432)
        #expect(location.database == "arbook_hq")
        #expect(location.description == "postgres://ar@finance@db.internal:6432/arbook_hq")
        #expect(!location.description.contains("s3cr"))
        #expect(location.with(database: "postgres").database == "postgres")
        #expect(try PostgresLocation(url: "postgresql://arbook@localhost/book?host=/run/postgresql").description
            == "postgres://arbook@localhost:5432/book?host=/run/postgresql")
    }

    @Test func onlyPostgreSQLURLsWithADatabaseAndAKnownSSLModeAreTaken() {
        #expect(PostgresLocation.isURL("postgres://h/db"))
        #expect(PostgresLocation.isURL("postgresql://h/db"))
        #expect(!PostgresLocation.isURL("./arbook.sqlite"))
        #expect(!PostgresLocation.isURL("/srv/postgres://x"))
        let noDatabase = { (url: String) in StorageError(code: .unavailable, message: "the PostgreSQL URL names no database: \(url)") }
        let refusals: [(String, StorageError)] = [
            ("postgres://arbook@db.internal", noDatabase("postgres://arbook@db.internal")),
            ("postgres://arbook@db.internal/", noDatabase("postgres://arbook@db.internal/")),
            ("postgres://h/a/b", noDatabase("postgres://h/a/b")),
            ("postgres://h/db?sslmode=verify-full", StorageError(code: .unavailable, message: "sslmode must be disable, prefer or require")),
            ("mysql://h/db", StorageError(code: .unavailable, message: "not a PostgreSQL URL (postgres://user@host:port/database): mysql://h/db")),
        ]
        for (bad, refusal) in refusals {
            #expect(throws: refusal, "\(bad)") { try PostgresLocation(url: bad) }
        }
    }
}
