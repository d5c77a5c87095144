import Bookkeeping
import Foundation

/// Files uploaded for import, kept between the check and the confirmation: one folder per user, so
/// nobody can confirm another's upload; each file is named by a random id and removed after use or
/// after an hour.
struct Uploads: Sendable {
    static let bytesMax = 64 << 20
    static let lifetimeSeconds: TimeInterval = 3600
    let folder: URL

    init(folder: URL = FileManager.default.temporaryDirectory.appendingPathComponent("arbook-uploads-\(getpid())")) {
        self.folder = folder
    }

    func save(_ bytes: [UInt8], user: User.ID) throws -> String {
        let userFolder = folder.appendingPathComponent(user.description)
        try FileManager.default.createDirectory(at: userFolder, withIntermediateDirectories: true)
        removeOld(in: userFolder)
        let id = Secret.random(bytes: 16)
        guard FileManager.default.createFile(atPath: userFolder.appendingPathComponent(id).path, contents: Data(bytes)) else {
            throw Problem(status: .internalServerError, title: "Upload failed", detail: "the file could not be kept")
        }
        return id
    }

    /// The path of a user's upload, if the id is well formed and the file is still there.
    func path(_ id: String, user: User.ID) -> String? {
        guard id.count == 32, id.allSatisfy(\.isHexDigit) else { return nil }
        let path = folder.appendingPathComponent(user.description).appendingPathComponent(id).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    func remove(_ id: String, user: User.ID) {
        if let path = path(id, user: user) { try? FileManager.default.removeItem(atPath: path) }
    }

    private func removeOld(in folder: URL) {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for file in files {
            let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast
            if Date().timeIntervalSince(modified) > Self.lifetimeSeconds { try? FileManager.default.removeItem(at: file) }
        }
    }
}
