import ArgumentParser
import Bookkeeping
import Foundation
import SQLiteBook

/// `arbook backup FILE`: a consistent copy of the book, taken while it is in use, then proven by
/// opening it and running `check`.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the book to FILE while it is in use (SQLite's online backup), then verify the copy with check.")

    @OptionGroup var book: BookOptions
    @Argument(help: "The backup file to write.") var file: String
    @Flag(help: "Replace FILE if it exists.") var force = false

    func run() async throws {
        try await Failure.run {
            let storage = try book.openFile("backup")
            if FileManager.default.fileExists(atPath: file) {
                guard force else { throw BookError.invalid(field: "FILE", reason: "\(file) exists; --force replaces it") }
                try BookFiles.remove(file)
            }
            try storage.backup(to: file)
            try storage.close()
            let report: CheckReport
            do { report = try await BookFiles.verify(file) } catch {
                try? BookFiles.remove(file)
                throw error
            }
            emit("Backed up \(book.path) to \(file): \(report.entries) journal entries balance; \(report.customers) customers tie out.\n")
        }
    }
}

/// `arbook restore FILE`: the book becomes the backup, once the backup is proven sound.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make the book (--database) a copy of the backup FILE, after verifying it with check. Stop 'arbook serve' first.")

    @OptionGroup var book: BookOptions
    @Argument(help: "The backup file to restore.") var file: String
    @Flag(help: "Replace an existing book (it is kept as <book>.before-restore-<time>).") var force = false

    func run() async throws {
        try await Failure.run {
            try book.requireFile("restore")
            guard FileManager.default.fileExists(atPath: file) else { throw BookError.invalid(field: "FILE", reason: "\(file) does not exist") }
            let target = book.path
            let exists = FileManager.default.fileExists(atPath: target)
            guard !exists || force else {
                throw BookError.invalid(field: "--database", reason: "\(target) exists; --force replaces it and keeps it as a copy")
            }
            // Verified on a copy next to the book: opening a book may upgrade it, and the backup stays as it was.
            let staged = target + ".restoring"
            try? BookFiles.remove(staged)
            try FileManager.default.copyItem(atPath: file, toPath: staged)
            let report: CheckReport
            do { report = try await BookFiles.verify(staged) } catch {
                try? BookFiles.remove(staged)
                throw error
            }
            var kept = ""
            if exists {
                kept = target + ".before-restore-" + Caller.systemTime().replacingOccurrences(of: ":", with: "")
                let current = try SQLiteBook(path: target)
                try current.backup(to: kept)
                try current.close()
                try BookFiles.remove(target)
            }
            try FileManager.default.moveItem(atPath: staged, toPath: target)
            emit("Restored \(file) to \(target): \(report.entries) journal entries balance; \(report.customers) customers tie out."
                 + (kept.isEmpty ? "" : " The book it replaced is kept as \(kept).") + "\n")
        }
    }
}

/// A book's files on disk: the database and its write-ahead log.
enum BookFiles {
    static func remove(_ path: String) throws {
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.removeItem(atPath: path)
    }

    /// Opens the book at `path` and runs check; a book that does not tie out is an error.
    static func verify(_ path: String) async throws -> CheckReport {
        let storage = try SQLiteBook(path: path)
        let report = try await BookCheck(storage: storage, caller: .commandLine).run()
        try storage.close()
        guard report.passed else {
            throw BookError.invalid(field: "FILE", reason: "\(path) does not tie out: \(report.findings.first.map(\.description) ?? "")")
        }
        return report
    }
}
