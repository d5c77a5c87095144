#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts chunks of GB18030 or UTF-16 to UTF-8 with the C library's iconv, carrying an incomplete
/// multi-byte sequence over to the next chunk.
final class Transcoder {
    private let converter: iconv_t
    private var carry: [UInt8] = []
    private let encoding: TextEncoding

    init(from encoding: TextEncoding) throws {
        let handle = iconv_open("UTF-8", encoding.rawValue)
        guard let handle, Int(bitPattern: handle) != -1 else {
            throw FileReadError(path: "", reason: "this system cannot convert \(encoding.rawValue)")
        }
        self.converter = handle
        self.encoding = encoding
    }

    deinit { iconv_close(converter) }

    /// The UTF-8 for `chunk` (and any bytes carried from the last call). `final` says no more follow.
    func convert(_ chunk: [UInt8], final: Bool) throws -> [UInt8] {
        var input = carry + chunk
        carry = []
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0
        var consumed = 0
        while consumed < input.count {
            let (inLeft, outLeft, failure) = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress! + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = inBuffer.count - consumed
                    var outLeft = outBuffer.count - produced
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (inLeft, outLeft, result == -1 ? errno : 0)
                }
            }
            let newConsumed = input.count - inLeft
            produced = output.count - outLeft
            consumed = newConsumed
            if failure == 0 { break }
            if failure == E2BIG {
                output += [UInt8](repeating: 0, count: output.count)
            } else if failure == EINVAL, !final {
                carry = Array(input[consumed...])
                break
            } else {
                throw FileReadError(path: "", reason: "is not valid \(encoding.rawValue) text near byte \(consumed)")
            }
        }
        input.removeAll()
        return Array(output[..<produced])
    }
}
