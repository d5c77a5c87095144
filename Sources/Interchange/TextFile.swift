import Crypto
import Foundation

/// The encodings arbook reads. Excel in China saves CSV as GB18030 (its "ANSI"), as UTF-8 with a
/// BOM ("CSV UTF-8"), or as UTF-16 ("Unicode text", tab separated).
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
}

/// Why a file could not be read as text.
public struct FileReadError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// What one pass over a file's bytes found: its encoding, size and SHA-256 fingerprint.
public struct FileFacts: Sendable {
    public let encoding: TextEncoding
    public let byteCount: Int64
    /// Lower-case hex SHA-256 of the raw bytes: the same file imported twice has the same one.
    public let fingerprint: String
    /// Bytes to skip at the start (the byte-order mark).
    public let bomLength: Int
}

/// Reads a file in fixed-size chunks, so memory stays flat whatever its size.
public final class ChunkReader {
    public static let chunkSize = 1 << 20
    private let handle: FileHandle
    public let path: String

    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileReadError(path: path, reason: "cannot be opened")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// The next chunk, or nil at the end of the file.
    public func next() throws -> [UInt8]? {
        let data: Data?
        do { data = try handle.read(upToCount: Self.chunkSize) } catch {
            throw FileReadError(path: path, reason: "could not be read (\(error.localizedDescription))")
        }
        guard let data, !data.isEmpty else { return nil }
        return [UInt8](data)
    }
}

extension FileFacts {
    /// Looks at every byte once: a UTF-8 or UTF-16 byte-order mark decides the encoding; otherwise the
    /// file is UTF-8 when all of it is valid UTF-8, and GB18030 when it is not.
    public static func examine(path: String, sizeMax: Int64) throws -> FileFacts {
        let reader = try ChunkReader(path: path)
        var hasher = SHA256()
        var validator = UTF8Validator()
        var total: Int64 = 0
        var first: [UInt8] = []
        while let chunk = try reader.next() {
            if first.isEmpty { first = Array(chunk.prefix(3)) }
            total += Int64(chunk.count)
            guard total <= sizeMax else {
                throw FileReadError(path: path, reason: "is larger than the \(sizeMax / 1_048_576) MiB an import may be")
            }
            hasher.update(data: chunk)
            validator.feed(chunk)
        }
        let digest = hasher.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let encoding: TextEncoding
        var bom = 0
        if first.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8
            bom = 3
        } else if first.starts(with: [0xFF, 0xFE]) {
            encoding = .utf16LE
            bom = 2
        } else if first.starts(with: [0xFE, 0xFF]) {
            encoding = .utf16BE
            bom = 2
        } else {
            encoding = validator.finish() ? .utf8 : .gb18030
        }
        return FileFacts(encoding: encoding, byteCount: total, fingerprint: digest, bomLength: bom)
    }
}

/// Checks UTF-8 validity across chunk boundaries without keeping the bytes.
struct UTF8Validator {
    private var pending = 0
    private var valid = true

    mutating func feed(_ bytes: [UInt8]) {
        guard valid else { return }
        for byte in bytes {
            if pending > 0 {
                guard byte & 0xC0 == 0x80 else { valid = false; return }
                pending -= 1
            } else if byte < 0x80 {
                continue
            } else if byte & 0xE0 == 0xC0, byte >= 0xC2 {
                pending = 1
            } else if byte & 0xF0 == 0xE0 {
                pending = 2
            } else if byte & 0xF8 == 0xF0, byte <= 0xF4 {
                pending = 3
            } else {
                valid = false
                return
            }
        }
    }

    func finish() -> Bool { valid && pending == 0 }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
