import Bookkeeping
import Foundation
import Dispatch
import Logging
import NIOCore
import PostgresNIO

/// One pooled connection inside a transaction, used synchronously from the engine's own threads:
/// each query waits for its answer (never on an event loop, where waiting would stall it).
final class PostgresSession: @unchecked Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// An import's gathered writes, sent before any other statement runs.
    var bulk: PostgresBulk?
    private var flushing = false
    private var running: WaitBox?
    private var cursors = 0

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Runs `sql` with `values` bound to $1, $2, … and returns every row and the count of rows changed.
    @discardableResult
    func query(_ sql: String, _ values: [any PostgresValue]) throws -> (rows: [PostgresRow], changed: Int) {
        try settle()
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { value.bind(to: &bindings) }
        do {
            let result = try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait()
            return (result.rows, result.metadata.rows ?? 0)
        } catch {
            throw Self.translate(error)
        }
    }

    /// Sends what a load gathered and waits for what runs in the background: the next statement may
    /// read what they write.
    private func settle() throws {
        if let bulk, !flushing, !bulk.isEmpty {
            flushing = true
            defer { flushing = false }
            try bulk.flush(self)
        }
        try awaitBackground()
    }

    /// Runs `sql` as a statement prepared on this connection (see `PreparedStatements`), or unprepared
    /// once the connection keeps as many as it may.
    func prepared(_ sql: String, _ values: [StoredValue]) throws -> [PostgresRow] {
        try settle()
        do {
            guard let statement = try PreparedStatements.shared.statement(sql, on: connection) else {
                return try query(sql, values.map { $0 as any PostgresValue }).rows
            }
            return try statement.execute(values.map(\.postgresData)).wait()
        } catch {
            throw Self.translate(error)
        }
    }

    func rows(_ sql: String, _ values: any PostgresValue...) throws -> [PostgresRowReader] {
        try query(sql, values).rows.map { PostgresRowReader($0) }
    }

    func row(_ sql: String, _ values: any PostgresValue...) throws -> PostgresRowReader? {
        try query(sql, values).rows.first.map { PostgresRowReader($0) }
    }

    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: any PostgresValue...) throws -> Int {
        try query(sql, values).changed
    }

    /// Runs an INSERT … RETURNING id.
    func insert(_ sql: String, _ values: any PostgresValue...) throws -> Int64 {
        try insert(sql, values)
    }

    /// Runs an INSERT … RETURNING id. An INSERT … ON CONFLICT DO NOTHING that returns no row met a key
    /// that exists: that is `.duplicate`, and the transaction goes on (an error would abort it, and an
    /// import reports every duplicate row).
    func insert(_ sql: String, _ values: [any PostgresValue]) throws -> Int64 {
        guard let row = try query(sql, values).rows.first else {
            throw StorageError(code: .duplicate, message: "a record with that key exists already")
        }
        return try PostgresRowReader(row)[0]
    }

    /// Streams the rows of a query through a cursor, `batch` at a time: reports read hundreds of
    /// thousands of rows and should not hold them all.
    func each(_ sql: String, _ values: [any PostgresValue] = [], batch: Int = 20_000, _ body: (PostgresRowReader) throws -> Void) throws {
        // A name of its own: a body may read through another cursor meanwhile.
        cursors += 1
        let cursor = "arbook_scan_\(cursors)"
        try query("DECLARE \(cursor) NO SCROLL CURSOR FOR \(sql)", values)
        defer { _ = try? query("CLOSE \(cursor)", []) }
        while true {
            let rows = try query("FETCH FORWARD \(batch) FROM \(cursor)", []).rows
            for row in rows { try body(PostgresRowReader(row)) }
            if rows.count < batch { return }
        }
    }

    /// Runs a script of statements, each ending with a semicolon at the end of its line: migrations.
    func script(_ sql: String) throws {
        var statement = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            statement += line + "\n"
            if line.hasSuffix(";") {
                try execute(String(statement.dropLast(2)))
                statement = ""
            }
        }
        if !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { try execute(statement) }
    }

    /// Deadlocks and serialisation failures become `PostgresConflict` (the use case runs again);
    /// everything else a `StorageError`.
    static func translate(_ error: Error) -> Error {
        if let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState], state == "40001" || state == "40P01" {
            return PostgresConflict(detail: psql.serverInfo?[.message] ?? state)
        }
        return PostgresBook.storageError(error)
    }
}

extension PostgresSession {
    /// Loads rows with `COPY … FROM STDIN` (text format): one stream instead of a statement per row.
    func copy(into table: String, columns: [String], rows: [[StoredValue]]) throws {
        guard !rows.isEmpty else { return }
        let payload = CopyPayload(table: table, columns: columns, rows: rows)
        try inBackground { connection, logger in try await payload.send(connection, logger: logger) }
        try awaitBackground()
    }

    /// Starts `work` on the connection as a task of its own and returns at once: an import builds its
    /// next rows while PostgreSQL takes the last ones. The next statement (or `awaitBackground`) waits
    /// for it first and reports its failure. This thread is the engine's, not one of Swift's cooperative
    /// threads, so waiting cannot starve the task.
    func inBackground(_ work: @escaping @Sendable (PostgresConnection, Logger) async throws -> Void) throws {
        try awaitBackground()
        let box = WaitBox(), connection = connection, logger = logger
        running = box
        Task {
            do {
                try await work(connection, logger)
                box.finish(nil)
            } catch {
                box.finish(error)
            }
        }
    }

    /// Ends the transaction without writing what an import gathered: nothing of it is sent, and what
    /// was sending finishes first (its outcome no longer matters).
    func rollBack() {
        bulk = nil
        _ = try? awaitBackground()
        _ = try? execute("ROLLBACK")
    }

    /// Waits for the work started in the background, if any.
    func awaitBackground() throws {
        guard let box = running else { return }
        running = nil
        if let error = box.wait() { throw Self.translate(error) }
    }

    /// A value in COPY's text format: `\N` for null, backslash escapes, bytea as `\\x` hex.
    static func appendCopyText(_ value: StoredValue, to text: inout String) {
        switch value {
        case .null: text += "\\N"
        case .integer(let number): text += String(number)
        case .text(let string):
            guard string.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else {
                text += string
                return
            }
            for character in string {
                switch character {
                case "\\": text += "\\\\"
                case "\t": text += "\\t"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                default: text.append(character)
                }
            }
        case .bytes(let bytes):
            text += "\\\\x"
            let digits = Array("0123456789abcdef")
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 15)])
            }
        }
    }
}

/// Rows for one COPY, in its text format.
struct CopyPayload: Sendable {
    let table: String
    let columns: [String]
    let text: String

    init(table: String, columns: [String], rows: [[StoredValue]]) {
        var text = ""
        text.reserveCapacity(rows.count * columns.count * 10)
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { text += "\t" }
                PostgresSession.appendCopyText(value, to: &text)
            }
            text += "\n"
        }
        self.init(table: table, columns: columns, text: text)
    }

    init(table: String, columns: [String], text: String) {
        self.table = table
        self.columns = columns
        self.text = text
    }

    func send(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.writeString(text)
            try await writer.write(buffer)
        }
    }
}

/// The outcome of a task a synchronous caller waits for.
final class WaitBox: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var error: Error?

    func finish(_ error: Error?) {
        self.error = error
        semaphore.signal()
    }

    func wait() -> Error? {
        semaphore.wait()
        return error
    }
}
