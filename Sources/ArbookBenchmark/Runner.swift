import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one `arbook` command, timing it and reading its peak resident memory from wait4.
struct Runner {
    let binary: String
    let database: String

    func measure(_ name: String, _ arguments: [String], documents: Int? = nil) throws -> Measurement {
        var pid: pid_t = 0
        let argv = ([binary, "--database", database] + Array(arguments)).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        // The subcommand comes first for argument-parser; --database is an option of each subcommand.
        var ordered = [argv[0], argv[3]] + argv[1...2] + argv[4...]
        ordered.append(nil)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let started = DispatchTime.now()
        let spawned = posix_spawn(&pid, binary, &actions, nil, ordered, environ)
        guard spawned == 0 else { throw BenchmarkError("could not start \(binary): \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        guard status == 0 else { throw BenchmarkError("\(name) failed with status \(status)") }
        print(String(format: "%@: %.3f s, peak %d MiB", name, seconds, usage.ru_maxrss / 1024))
        return Measurement(name: name, seconds: seconds, documents: documents, peakKiB: usage.ru_maxrss)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
