import Foundation
import TestBooks
#if canImport(Glibc)
import Glibc
#endif

/// Test files in a fresh temporary folder, written in any encoding through the C library's iconv.
enum Files {
    static func folder() -> URL {
        (try? Scratch.folder("files")) ?? FileManager.default.temporaryDirectory
    }

    static func write(_ bytes: [UInt8], name: String = "file.csv", in folder: URL = folder()) -> String {
        let url = folder.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        return url.path
    }

    /// `text` in `encoding` ("GB18030", "UTF-16LE"), using iconv in the other direction from the code under test.
    static func encode(_ text: String, as encoding: String) -> [UInt8] {
        let converter = iconv_open(encoding, "UTF-8")!
        defer { iconv_close(converter) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 8)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                _ = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return outBuffer.count - outLeft
            }
        }
        return Array(output[..<produced])
    }
}
