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
        for bad in ["postgres://arbook@db.internal", "postgres://arbook@db.internal/", "postgres://h/a/b", "postgres://h/db?sslmode=verify-full",
                    "mysql://h/db"] {
            #expect(throws: StorageError.self, "\(bad)") { try PostgresLocation(url: bad) }
        }
    }
}
