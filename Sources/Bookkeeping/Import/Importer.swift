import Interchange
import Receivables

/// Imports customers, invoices or receipts from a CSV file, all or nothing.
///
/// The file is streamed twice: once to learn its encoding and fingerprint, once to read records,
/// which are written in one transaction as they are validated. Any bad row makes the whole
/// transaction roll back, after every row has been checked so that all issues are reported.
public struct Importer: Sendable {
    /// The largest file an import reads.
    public static let fileBytesMax: Int64 = 2 << 30
    /// A row of an import file is about this long; used to guess a file's rows from its size.
    static let bytesPerRowEstimate: Int64 = 45

    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    public struct Options: Sendable {
        public var autoAllocate: Bool
        /// The name recorded for the batch (the path the user gave).
        public var fileName: String
        /// Check everything, write nothing: the import runs to the end and is rolled back.
        public var dryRun: Bool
        public init(autoAllocate: Bool = false, fileName: String, dryRun: Bool = false) {
            self.autoAllocate = autoAllocate
            self.fileName = fileName
            self.dryRun = dryRun
        }
    }

    public func importFile(_ kind: ImportKind, path: String, options: Options) async throws -> ImportOutcome {
        try caller.principal.require(.writeBook)
        let caller = caller
        let facts: FileFacts
        do { facts = try FileFacts.examine(path: path, sizeMax: Self.fileBytesMax) } catch {
            throw ImportFailure(issues: [ImportIssue(line: 0, column: "file", reason: "\(error)")], issueCount: 1)
        }
        let stamp = caller.now()
        do {
            return try await run(kind, path: path, options: options, facts: facts, stamp: stamp, caller: caller)
        } catch let done as DryRunDone {
            return .checked(done.summary)
        }
    }

    /// Thrown at the end of a dry run so that the transaction rolls back.
    private struct DryRunDone: Error { let summary: ImportSummary }

    private func run(_ kind: ImportKind, path: String, options: Options, facts: FileFacts, stamp: String,
                     caller: Caller) async throws -> ImportOutcome {
        try await storage.write { tx in
            if let batch = try tx.importBatch(fingerprint: facts.fingerprint) { return .alreadyImported(batch) }
            let reader: CSVReader
            do { reader = try CSVReader(path: path, facts: facts) } catch {
                throw ImportFailure(issues: [ImportIssue(line: 0, column: "file", reason: "\(error)")], issueCount: 1)
            }
            var writer = try BookWriter(tx, caller: caller)
            writer.auditsEachWrite = false
            var run = ImportRun(writer: writer, kind: kind, autoAllocate: options.autoAllocate)
            try tx.beginBulkLoad(kind, rows: Int(facts.byteCount / Self.bytesPerRowEstimate), autoAllocate: options.autoAllocate)
            try run.consume(reader)
            try tx.endBulkLoad()
            let summary = ImportSummary(kind: kind, rows: run.rows, applied: run.applied, unapplied: run.unapplied,
                                        encoding: facts.encoding.rawValue, total: run.total, preview: run.preview)
            if options.dryRun { throw DryRunDone(summary: summary) }
            try tx.insertImportBatch(ImportBatch(fingerprint: facts.fingerprint, kind: kind.rawValue,
                                                 fileName: options.fileName, rows: run.rows, importedAt: stamp))
            try writer.audit("import", kind.rawValue, key: facts.fingerprint,
                             after: .object([("file", .string(options.fileName)), ("rows", .int(Int64(run.rows))),
                                             ("encoding", .string(facts.encoding.rawValue))]))
            return .imported(summary)
        }
    }
}
