import Foundation
import TestBooks

/// Runs the built `arbook` binary in a fresh folder, as a user would.
struct CLI {
    let folder: URL
    /// The book: the one given, else a database of its own on the test server when `ARBOOK_TEST_ENGINE`
    /// is postgres, else a SQLite file in the folder.
    let database: String

    init(database: String? = nil) throws {
        folder = try Scratch.folder("cli")
        self.database = try database ?? (Engine.default == .postgres ? Engine.freshDatabase()
                                                                      : folder.appendingPathComponent("book.sqlite").path)
    }

    /// A command line on a SQLite file, whatever engine the run tests: for what only a file book does (backups).
    static func sqlite() throws -> CLI {
        let folder = try Scratch.folder("cli")
        return try CLI(folder: folder, database: folder.appendingPathComponent("book.sqlite").path)
    }

    private init(folder: URL, database: String) throws {
        self.folder = folder
        self.database = database
    }

    struct Result {
        let status: Int32
        let out: String
        let err: String
    }

    /// The binary sits next to the test bundle in the build folder.
    static var binary: URL { tool("arbook") }

    static func tool(_ name: String) -> URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent(name)
    }

    @discardableResult
    func run(_ arguments: String..., environment: [String: String] = [:], input: String? = nil) throws -> Result {
        try run(Self.binary, arguments, environment: environment, input: input)
    }

    /// Runs another program of the build (the benchmark tool) in the folder.
    func runTool(_ name: String, _ arguments: String...) throws -> Result {
        try run(Self.tool(name), arguments, environment: [:], input: nil)
    }

    /// Starts `arbook` with `arguments` in the background (a server); the caller stops it.
    func start(_ arguments: String...) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment([:])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func environment(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(
            ["ARBOOK_DATABASE": database, "ARBOOK_TODAY": "2026-06-30"].merging(extra) { $1 }) { $1 }
    }

    private func run(_ executable: URL, _ arguments: [String], environment extra: [String: String], input: String?) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment(extra)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }

    func file(_ name: String, _ text: String) -> String {
        let path = folder.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}
