package import Crypto
package import Foundation
package import HubCore

/// Seals the secrets the hub keeps in its database (agents' TOTP seeds) with AES-256-GCM under the
/// data key: `enc:v1:` and the base64 of nonce, ciphertext and tag. The secret's owner (`agent:3`) is
/// authenticated with it, so a sealed seed copied onto another row does not open.
package struct SecretSealer: Sendable {
    static let prefix = "enc:v1:"
    let key: DataKey

    package init(key: DataKey) {
        self.key = key
    }

    package static func isSealed(_ stored: String) -> Bool {
        stored.hasPrefix(prefix)
    }

    package func seal(_ secret: String, owner: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key.key, authenticating: Data(owner.utf8))
        guard let combined = box.combined else { throw HubError(.internalError, code: "seal_failed", message: "no sealed box") }
        return Self.prefix + combined.base64EncodedString()
    }

    /// The secret, or a `500 data_key_mismatch` when it was sealed under another key or for another owner.
    package func open(_ stored: String, owner: String) throws(HubError) -> String {
        guard Self.isSealed(stored) else { return stored }
        guard let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key.key, authenticating: Data(owner.utf8))
        else {
            throw HubError(
                .internalError, code: "data_key_mismatch", message: "a stored secret does not open with TRIBUTARY_DATA_KEY")
        }
        return String(decoding: plain, as: UTF8.self)
    }
}
