import Crypto
import CryptoExtras
import Foundation
import HubCore

/// WeChat's "safe mode" message encryption: AES-256-CBC with the key's first 16
/// bytes as IV, PKCS#7 padding to 32-byte blocks (not AES's 16), and a plaintext of
/// `random(16) ‖ length(4, big-endian) ‖ message ‖ appid`.
struct WeChatCrypto: Sendable {
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// Not base64, not whole blocks, bad padding or length: a corrupted ciphertext (400).
        case malformed(String)
        /// Decrypted fine but for another official account (401).
        case wrongAppID

        var description: String {
            switch self {
            case .malformed(let detail): "the encrypted message is corrupt: \(detail)"
            case .wrongAppID: "the encrypted message is for another app id"
            }
        }
    }

    let key: SymmetricKey
    let iv: AES._CBC.IV
    let appID: String

    /// `nil` when `encodingAESKey` is not 43 characters of base64 for a 32-byte key.
    init?(encodingAESKey: String, appID: String) {
        guard encodingAESKey.count == 43, let bytes = Data(base64Encoded: encodingAESKey + "="), bytes.count == 32,
            let iv = try? AES._CBC.IV(ivBytes: bytes.prefix(16))
        else { return nil }
        self.key = SymmetricKey(data: bytes)
        self.iv = iv
        self.appID = appID
    }

    func decrypt(_ base64: String) throws(Failure) -> String {
        guard let ciphertext = Data(base64Encoded: base64) else { throw .malformed("not base64") }
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw .malformed("not whole AES blocks") }
        let plain: [UInt8]
        do {
            plain = Array(try AES._CBC.decrypt(ciphertext, using: key, iv: iv, noPadding: true))
        } catch {
            throw .malformed("AES-CBC failed")
        }
        guard let pad = plain.last, (1...32).contains(pad), Int(pad) <= plain.count,
            plain.suffix(Int(pad)).allSatisfy({ $0 == pad })
        else { throw .malformed("bad padding") }
        let content = plain.dropLast(Int(pad))
        guard content.count >= 20 else { throw .malformed("too short") }
        let lengthBytes = content[content.startIndex + 16..<content.startIndex + 20]
        let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
        let messageStart = content.startIndex + 20
        guard length <= content.count - 20 else { throw .malformed("length field exceeds the message") }
        let message = content[messageStart..<messageStart + length]
        let trailer = content[(messageStart + length)...]
        guard String(decoding: trailer, as: UTF8.self) == appID else { throw .wrongAppID }
        guard let text = String(validating: message, as: UTF8.self) else { throw .malformed("the message is not UTF-8") }
        return text
    }

    /// Encrypts `message` with a given 16-byte prefix (random in production, fixed in test vectors).
    func encrypt(_ message: String, prefix: [UInt8]) throws -> String {
        var plain = prefix
        let body = Array(message.utf8)
        let length = UInt32(body.count)
        plain += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        plain += body
        plain += Array(appID.utf8)
        let pad = 32 - plain.count % 32
        plain += Array(repeating: UInt8(pad), count: pad)
        let ciphertext = try AES._CBC.encrypt(plain, using: key, iv: iv, noPadding: true)
        return ciphertext.base64EncodedString()
    }

    static func randomPrefix() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

/// WeChat's signatures: SHA-1 hex over the sorted, concatenated parts.
enum WeChatSignature {
    static func sign(_ parts: [String]) -> String {
        let joined = parts.sorted().joined()
        return Insecure.SHA1.hash(data: Array(joined.utf8)).hexString
    }

    static func matches(_ expected: String, _ given: String) -> Bool {
        ConstantTime.equals(expected, given.lowercased())
    }
}
