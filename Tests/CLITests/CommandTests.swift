import Foundation
import Testing

@Suite struct CommandTests {
    /// A book with two customers and their invoices, on the engine the run tests (or on a SQLite file).
    func loaded(_ cli: CLI? = nil) throws -> CLI {
        let cli = try cli ?? CLI()
        #expect(try cli.run("init").status == 0)
        #expect(try cli.run("import", "customers", cli.file("c.csv", "code,name,payment_terms_days\nK00001,上海华盛,30\nK00002,北京恒通,60\n")).status == 0)
        #expect(try cli.run("import", "invoices", cli.file("i.csv", """
            number,customer,issue_date,due_date,amount
            F1,K00001,2026-03-01,2026-03-31,1000.00
            F2,K00001,2026-05-20,,234.56
            F3,K00002,2026-06-01,2026-07-01,500
            """)).status == 0)
        #expect(try cli.run("import", "receipts", cli.file("r.csv", """
            reference,customer,date,amount,method,invoice
            R1,K00002,2026-06-10,600,bank,F3
            """)).status == 0)
        return cli
    }

    @Test func agingPrintsTheDocumentedJSONShape() throws {
        let cli = try loaded()
        let result = try cli.run("aging", "--as-of", "2026-06-30", "--format", "json")
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(json["as_of"] as? String == "2026-06-30")
        #expect(json["basis"] as? String == "due")
        #expect(json["currency"] as? String == "CNY")
        #expect(json["buckets"] as? [String] == ["current", "1-30", "31-60", "61-90", "91+"])
        let customers = try #require(json["customers"] as? [[String: Any]])
        #expect(customers.map { $0["code"] as? String } == ["K00001", "K00002"])
        #expect(customers[0]["buckets"] as? [String] == ["0.00", "234.56", "0.00", "0.00", "1000.00"])
        #expect(customers[0]["balance"] as? String == "1234.56")
        #expect(customers[1]["unapplied"] as? String == "100.00")
        #expect(customers[1]["balance"] as? String == "-100.00")
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["balance"] as? String == "1134.56")
        #expect(result.out.hasPrefix("{\"as_of\": \"2026-06-30\", \"basis\": \"due\", \"currency\": \"CNY\", \"buckets\""))
    }

    @Test func agingAsOfAnEarlierDayAndOtherBuckets() throws {
        let cli = try loaded()
        let result = try cli.run("aging", "--as-of", "2026-04-15", "--buckets", "10,20", "--format", "csv")
        #expect(result.out.split(separator: "\r\n").map(String.init) == [
            "code,name,current,1-10,11-20,21+,unapplied,balance", "K00001,上海华盛,0.00,0.00,1000.00,0.00,0.00,1000.00",
            "TOTAL,,0.00,0.00,1000.00,0.00,0.00,1000.00",
        ])
    }

    @Test func checkPassesOnAnImportedBook() throws {
        let cli = try loaded()
        let result = try cli.run("check")
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("OK"))
    }

    @Test func theLedgerShowsOpeningRunningAndClosing() throws {
        let cli = try loaded()
        let result = try cli.run("ledger", "K00002", "--format", "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(json["opening"] as? String == "0.00")
        #expect(json["closing"] as? String == "-100.00")
        #expect((json["lines"] as? [[String: Any]])?.map { $0["balance"] as? String } == ["500.00", "-100.00"])
    }

    @Test func aBadFileIsReportedByLineAndColumnAndExitsFour() throws {
        let cli = try loaded()
        let result = try cli.run("import", "invoices", cli.file("bad.csv", "number,customer,issue_date,amount\nF9,K00001,2026-06-01,1\nF10,NOPE,2026-06-01,1\n"))
        #expect(result.status == 4)
        #expect(result.err.contains("line 3, customer: unknown customer 'NOPE'"))
        let aging = try cli.run("aging", "--format", "csv")
        #expect(!aging.out.contains("1.00,"))
    }

    @Test func importingTheSameFileAgainImportsNothing() throws {
        let cli = try CLI()
        try cli.run("init")
        let path = cli.file("c.csv", "code,name\nK1,甲\n")
        #expect(try cli.run("import", "customers", path).out.contains("Imported 1 customers"))
        let again = try cli.run("import", "customers", path)
        #expect(again.status == 0)
        #expect(again.out.contains("imported already"))
    }

    @Test func errorsNameWhatIsWrongAndExitNonZero() throws {
        let cli = try CLI()
        let missing = try cli.run("aging")
        #expect(missing.status == 5)
        #expect(missing.err.contains("run 'arbook init'"))
        try cli.run("init")
        #expect(try cli.run("init").status == 4)
        #expect(try cli.run("ledger", "NOBODY").status == 3)
        #expect(try cli.run("aging", "--buckets", "60,30").err.contains("bucket borders must increase"))
        #expect(try cli.run("aging", "--as-of", "2026-02-30").status != 0)
    }

    @Test func theDemoBookTiesOut() throws {
        let cli = try CLI()
        let demo = try cli.run("demo", "--customers", "40")
        #expect(demo.status == 0)
        #expect(demo.out.contains("Aging as of 2026-06-30"))
        #expect(demo.out.contains("check: OK"))
        #expect(try cli.run("check").status == 0)
    }
}

@Suite struct GlobalOptionTests {
    @Test func theDatabaseMayComeBeforeTheCommand() throws {
        let cli = try CLI()
        let other = cli.folder.appendingPathComponent("other.sqlite").path
        #expect(try cli.run("--database", other, "init").status == 0)
        #expect(FileManager.default.fileExists(atPath: other))
        #expect(try cli.run("--database=\(other)", "check").out.hasPrefix("OK"))
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }

    @Test func accountCodesAreConfigurable() throws {
        let cli = try CLI()
        #expect(try cli.run("init", "--account", "receivables=112201", "--account", "advances=220301").status == 0)
        try cli.run("import", "customers", cli.file("c.csv", "code,name\nK1,甲\n"))
        try cli.run("import", "invoices", cli.file("i.csv", "number,customer,issue_date,amount\nF1,K1,2026-06-01,10\n"))
        #expect(try cli.run("check").status == 0)
        #expect(try cli.run("aging", "--format", "csv").out.contains("K1,甲,"))
        let bad = try cli.run("init", "--database", cli.folder.appendingPathComponent("x.sqlite").path, "--account", "nonsense=1")
        #expect(bad.status == 4)
        #expect(bad.err.contains("--account"))
    }
}

@Suite struct UserCommandTests {
    @Test func usersAreAddedListedDisabledAndAudited() throws {
        let cli = try CLI()
        try cli.run("init")
        let added = try cli.run("user", "add", "zhang", "--role", "collector", "--display-name", "张三", input: "correct horse battery\n")
        #expect(added.status == 0)
        #expect(try cli.run("user", "add", "li", "--role", "accountant", input: "short\n").status == 4)
        #expect(try cli.run("user", "add", "wu", "--role", "boss", input: "correct horse battery\n").status != 0)
        #expect(try cli.run("user", "disable", "zhang").status == 0)
        let list = try cli.run("user", "list")
        #expect(list.out == "zhang\tcollector\tdisabled\t张三\n")
        try cli.run("import", "customers", cli.file("c.csv", "code,name\nK1,甲\n"))
        #expect(try cli.run("user", "assign", "zhang", "K1").status == 0)
        #expect(try cli.run("user", "assign", "zhang", "K404").status == 3)
        let audit = try cli.run("audit", "--limit", "10")
        let lines = audit.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + 4)
        #expect(lines[2].contains("assign") && lines[2].contains("customer K1"))
        #expect(lines.last?.contains("create") == true && lines.last?.contains("user zhang") == true)
        #expect(!audit.out.contains("correct horse"))
    }
}

@Suite struct DunningCommandTests {
    /// On 2026-06-30 K00001's F1 (1,000.00, due 2026-03-31) is 91 days late: it enters at the legal level;
    /// F2 (234.56, due 2026-06-19) is 11 days late: a reminder. K00001 gets one message, at the legal
    /// level, listing each item at its own level; K00002 has paid more than it owes.
    @Test func thePlanShowsWhatTheRunThenDoesOnce() throws {
        let cli = try CommandTests().loaded()
        let plan = try cli.run("dunning", "plan", "--as-of", "2026-06-30", "--format", "json")
        #expect(plan.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any])
        let notices = try #require(json["notices"] as? [[String: Any]])
        #expect(notices.map { "\($0["customer"] ?? "") \($0["level"] ?? "")" } == ["K00001 6"])
        let items = try #require(notices.first?["items"] as? [[String: Any]])
        #expect(items.map { "\($0["invoice"] ?? "") \($0["level"] ?? "")" } == ["F1 6", "F2 2"])
        // Interest: days 2026-04-08 … 2026-06-30 (84) × 1,000.00 × 0.05% = 42.00.
        #expect(notices[0]["interest"] as? String == "42.00")
        // The book's first run, on overdue debt, waits for approval: nothing is sent or charged (exit 3).
        let waiting = try cli.run("dunning", "run", "--as-of", "2026-06-30")
        #expect(waiting.status == 3 && waiting.out.contains("waits for approval"))
        #expect(try cli.run("dunning", "plan", "--as-of", "2026-06-30").out.contains("This plan waits for approval"))
        let run = try cli.run("dunning", "run", "--as-of", "2026-06-30", "--approve")
        #expect(run.status == 0)
        // Entering at the legal level, F1 puts K00001 on credit hold too (level 5's action is a state it has reached).
        #expect(run.out.contains("1 late fees charged") && run.out.contains("1 customers put on credit hold"))
        #expect((notices[0]["actions"] as? [String]) == ["credit_hold", "legal"])
        let again = try cli.run("dunning", "run", "--as-of", "2026-06-30", "--approve")
        #expect(again.out.contains("was done already"))
        #expect(try cli.run("dunning", "plan", "--as-of", "2026-06-30").out.hasPrefix("Nothing to send"))
        #expect(try cli.run("check").status == 0)
        let bad = try cli.run("promise", "add", "K00001", "--amount", "abc", "--by", "2026-07-10")
        #expect(bad.status != 0 && bad.err.contains("amount"))
    }
}

@Suite struct BackupCommandTests {
    /// Backups are of a SQLite file (a PostgreSQL book is backed up by pg_dump or `arbook copy`; `CopyTests`).
    @Test func aBackupIsVerifiedAndRestoresToTheSameBook() throws {
        let cli = try CommandTests().loaded(CLI.sqlite())
        let aging = try cli.run("aging", "--as-of", "2026-06-30", "--format", "json").out
        let copy = cli.folder.appendingPathComponent("copy.sqlite").path
        let backup = try cli.run("backup", copy)
        #expect(backup.status == 0 && backup.out.contains("customers tie out"))
        #expect(try cli.run("backup", copy).status != 0)      // never overwritten silently
        // Restored as a new book: the same aging.
        let restored = cli.folder.appendingPathComponent("restored.sqlite").path
        #expect(try cli.run("restore", copy, "--database", restored).status == 0)
        #expect(try cli.run("aging", "--as-of", "2026-06-30", "--format", "json", "--database", restored).out == aging)
        // Over the book in use: only with --force, keeping the book it replaces.
        #expect(try cli.run("import", "invoices", cli.file("later.csv", "number,customer,issue_date,amount\nF9,K00001,2026-06-20,99\n")).status == 0)
        #expect(try cli.run("aging", "--as-of", "2026-06-30", "--format", "json").out != aging)
        let refused = try cli.run("restore", copy)
        #expect(refused.status != 0 && refused.err.contains("--force"))
        let forced = try cli.run("restore", copy, "--force")
        #expect(forced.status == 0 && forced.out.contains("before-restore"))
        #expect(try cli.run("aging", "--as-of", "2026-06-30", "--format", "json").out == aging)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).contains { $0.hasPrefix("book.sqlite.before-restore-") })
        // A file that is not a book is refused and changes nothing.
        let junk = cli.file("junk.sqlite", "not a book")
        #expect(try cli.run("restore", junk, "--force").status != 0)
        #expect(try cli.run("aging", "--as-of", "2026-06-30", "--format", "json").out == aging)
    }
}

@Suite struct DunningGateCommandTests {
    /// The shares above which a run waits are the book's: set, shown, and refused outside 0–100.
    @Test func theGatesSharesAreSetAndShown() throws {
        let cli = try CommandTests().loaded()
        #expect(try cli.run("dunning", "gate").out.contains("more than 10% of the customers on credit hold"))
        let set = try cli.run("dunning", "gate", "--hold-share", "50", "--legal-share", "40")
        #expect(set.status == 0 && set.out.contains("more than 50%") && set.out.contains("more than 40% over to legal"))
        let bad = try cli.run("dunning", "gate", "--hold-share", "101")
        #expect(bad.status != 0 && bad.err.contains("hold_share"))
        #expect(try cli.run("dunning", "gate").out.contains("more than 50%"))
    }
}
