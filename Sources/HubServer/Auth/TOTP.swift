import Crypto
package import Foundation
import HubCore

/// Time-based one-time passwords (RFC 6238): HMAC-SHA1 over 30-second steps, six digits.
package struct TOTP: Sendable {
    package var secret: [UInt8]
    package var digits = 6
    package var period: TimeInterval = 30

    package init(secret: [UInt8], digits: Int = 6, period: TimeInterval = 30) {
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// A new random 20-byte secret, as authenticator apps expect.
    package static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The code for `date`, with `hash` as RFC 6238 allows (SHA-1 by default; SHA-256 and
    /// SHA-512 for the RFC's other test vectors).
    package func code(at date: Date, hash: Algorithm = .sha1) -> String {
        let counter = UInt64(floor(date.timeIntervalSince1970 / period))
        return code(counter: counter, hash: hash)
    }

    package enum Algorithm: Sendable { case sha1, sha256, sha512 }

    func code(counter: UInt64, hash: Algorithm) -> String {
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] =
            switch hash {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
            }
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// Whether `code` is right for `date` or the step before or after (clock drift).
    package func verify(_ code: String, at date: Date) -> Bool {
        let trimmed = code.filter { !$0.isWhitespace }
        guard trimmed.count == digits, trimmed.allSatisfy(\.isNumber) else { return false }
        let counter = Int64(floor(date.timeIntervalSince1970 / period))
        return (-1...1).contains { step in
            let expected = self.code(counter: UInt64(max(0, counter + Int64(step))), hash: .sha1)
            return ConstantTime.equals(expected, trimmed)
        }
    }

    /// The `otpauth://` URI an authenticator app reads from a QR code.
    package func uri(account: String, issuer: String = "Tributary") -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? account
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuer)&digits=\(digits)&period=\(Int(period))"
    }
}

/// RFC 4648 base32, as TOTP secrets are written.
package enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    package static func encode(_ bytes: [UInt8]) -> String {
        packBits(bytes, alphabet: alphabet, width: 5)
    }

    /// `nil` for a character outside the alphabet; padding, spaces and case are ignored.
    package static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0
        var bits = 0
        for character in text.uppercased() where character != "=" && !character.isWhitespace {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((buffer >> bits) & 0xFF))
            }
        }
        return output
    }
}
