import Foundation

/// Folders for the files tests make (books, imports, backups), all under one folder of this test
/// process that is removed when the process ends: a run leaves nothing behind in the temporary folder.
public enum Scratch {
    static let root: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("arbook-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: root)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return root
    }()

    /// A new, empty folder whose name starts with `label`.
    public static func folder(_ label: String) throws -> URL {
        let folder = root.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
