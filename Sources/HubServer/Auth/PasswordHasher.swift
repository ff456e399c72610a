import Crypto
import CryptoExtras
import Dispatch
import Foundation
import HubCore

/// Stores passwords as salted PBKDF2-SHA256 (`pbkdf2-sha256$<rounds>$<salt>$<key>`, base64),
/// at OWASP's 600,000 rounds. Deriving takes a good fraction of a second on purpose, so it
/// runs on a queue of its own rather than holding a thread of the cooperative pool.
package struct PasswordHasher: Sendable {
    package static let defaultRounds = 600_000
    package var rounds: Int

    private static let queue = DispatchQueue(label: "tributary.password-hashing", attributes: .concurrent)

    package init(rounds: Int = PasswordHasher.defaultRounds) {
        self.rounds = rounds
    }

    package func hash(_ password: String) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = try await Self.derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Whether `password` matches `stored`; a malformed hash matches nothing.
    package func verify(_ password: String, against stored: String) async -> Bool {
        let fields = stored.split(separator: "$")
        guard fields.count == 4, fields[0] == "pbkdf2-sha256", let rounds = Int(fields[1]), rounds >= 1,
            let salt = Data(base64Encoded: String(fields[2])), let expected = Data(base64Encoded: String(fields[3])),
            let key = try? await Self.derive(password, salt: Array(salt), rounds: rounds)
        else { return false }
        return ConstantTime.equals(expected, key)
    }

    /// A hash that matches no password, verified when the email is unknown so that the answer
    /// takes as long as for a known one.
    package static let decoy = "pbkdf2-sha256$\(defaultRounds)$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

    static func derive(_ password: String, salt: [UInt8], rounds: Int) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(
                    with: Result {
                        let key = try KDF.Insecure.PBKDF2.deriveKey(
                            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
                        return key.withUnsafeBytes { Array($0) }
                    })
            }
        }
    }
}

/// What makes a password acceptable; `nil` when it is, else the reason.
package enum PasswordPolicy {
    static let common: Set<String> = [
        "password", "password1", "password123", "1234567890", "12345678910", "qwertyuiop", "iloveyou12", "letmein123",
        "administrator", "passw0rd12", "welcome123", "changeme123", "abc1234567", "qwerty12345",
    ]

    package static func weakness(_ password: String, email: String = "") -> String? {
        if password.count < 10 { return "use at least 10 characters" }
        if password.count > 256 { return "use at most 256 characters" }
        if common.contains(password.lowercased()) { return "that password is among the most common ones" }
        if Set(password).count < 4 { return "use more than three different characters" }
        let local = email.split(separator: "@").first.map { $0.lowercased() } ?? ""
        if local.count >= 4 && password.lowercased().contains(local) { return "the password must not contain the email address" }
        return nil
    }
}
