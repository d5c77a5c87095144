import Foundation
import Testing

/// `arbook copy` between a SQLite file and a PostgreSQL database, both ways.
@Suite(.enabled(if: postgresTestServer != nil))
struct CopyTests {
    @Test func aBookMovesToPostgreSQLAndBackUnchanged() throws {
        let cli = try CLI()
        #expect(try cli.run("demo", "--customers", "40").status == 0)
        try cli.run("user", "add", "wang", "--role", "collector", input: "correct horse battery\n")
        #expect(try cli.run("dunning", "run", "--as-of", "2026-06-30", "--approve").status == 0)
        let agingBefore = try cli.run("aging", "--format", "csv").out
        let ledgerBefore = try cli.run("ledger", "K00001", "--format", "csv").out

        let postgres = try SeveralServersTests.freshDatabase()
        let there = try cli.run("copy", "--from", cli.database, "--to", postgres)
        #expect(there.status == 0, "\(there.err)")
        #expect(there.out.contains("check OK"))
        #expect(there.out.contains("identical"))
        // The copy is a working book: the same reports, and new documents take new ids.
        let onPostgres = try CLI(database: postgres)
        #expect(try onPostgres.run("aging", "--format", "csv").out == agingBefore)
        #expect(try onPostgres.run("ledger", "K00001", "--format", "csv").out == ledgerBefore)
        #expect(try onPostgres.run("import", "invoices", onPostgres.file("i.csv", "number,customer,issue_date,amount\nNEW-1,K00001,2026-06-30,10\n")).status == 0)
        #expect(try onPostgres.run("check").status == 0)
        // Into a database that holds a book: refused, nothing changed.
        let again = try cli.run("copy", "--from", cli.database, "--to", postgres)
        #expect(again.status != 0)
        #expect(again.err.contains("holds a book already"))

        let back = cli.folder.appendingPathComponent("back.sqlite").path
        let returned = try cli.run("copy", "--from", postgres, "--to", back)
        #expect(returned.status == 0, "\(returned.err)")
        let onFile = try CLI(database: back)
        #expect(try onFile.run("check").status == 0)
        #expect(try onFile.run("ledger", "K00001", "--format", "csv").out.contains("NEW-1"))
        #expect(try onFile.run("user", "list").out.contains("wang"))
    }

    @Test func aPostgreSQLURLWorksWhereAPathDoesAndFileOnlyCommandsSaySo() throws {
        let postgres = try SeveralServersTests.freshDatabase()
        let cli = try CLI(database: postgres)
        let missing = try cli.run("check")
        #expect(missing.status != 0)
        #expect(missing.err.contains("does not exist"))
        #expect(!missing.err.contains("password"))
        #expect(try cli.run("init", "--currency", "USD").status == 0)
        #expect(try cli.run("init").err.contains("exists already"))
        #expect(try cli.run("import", "customers", cli.file("c.csv", "code,name\nK1,甲\n")).status == 0)
        #expect(try cli.run("import", "invoices", cli.file("i.csv", "number,customer,issue_date,amount,currency\nF1,K1,2026-06-01,12.50,USD\n")).status == 0)
        #expect(try cli.run("aging", "--format", "csv").out.contains("K1,甲,12.50"))
        let backup = try cli.run("backup", cli.folder.appendingPathComponent("b.sqlite").path)
        #expect(backup.status != 0)
        #expect(backup.err.contains("pg_dump"))
        #expect(try cli.run("restore", cli.folder.appendingPathComponent("b.sqlite").path).err.contains("pg_dump"))
    }
}
