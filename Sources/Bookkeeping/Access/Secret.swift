import Crypto
import Foundation

/// Random secrets and their digests as lowercase hex, the form tokens, sessions and uploads use.
public enum Secret {
    /// `count` random bytes from the system's generator, as 2 × `count` hex digits.
    public static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The SHA-256 digest of `text` (UTF-8) as 64 hex digits: what the book stores instead of a secret.
    public static func sha256(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
