package import Foundation
package import HubCore
package import HubStorage

/// What the hub does with its data key at start and on rotation.
package enum DataKeyGate {
    static let checkOwner = "data-key-check"
    static let checkText = "tributary data key"

    /// At start: without a key, refuses a database whose secrets were sealed; with one, refuses a
    /// key that is not the database's, and seals any secret still stored plain. Returns the sealer.
    package static func prepare(_ secrets: StoredSecrets, key: DataKey?, now: Date) async throws -> SecretSealer? {
        let (stored, check) = try await secrets.all()
        guard let key else {
            if check != nil || stored.contains(where: { SecretSealer.isSealed($0.value) }) {
                throw HubError(
                    .internalError, code: "data_key_missing",
                    message:
                        "this database holds secrets sealed with a data key: set \(DataKey.environmentName) to it (32 bytes, base64)")
            }
            return nil
        }
        let sealer = SecretSealer(key: key)
        if let check {
            guard (try? sealer.open(check, owner: checkOwner)) == checkText else {
                throw HubError(
                    .internalError, code: "data_key_mismatch",
                    message:
                        "\(DataKey.environmentName) is not the key this database's secrets were sealed with; "
                        + "to change keys, run tributary keys rotate with the old key and TRIBUTARY_NEW_DATA_KEY")
            }
        }
        let plain = stored.filter { !SecretSealer.isSealed($0.value) }
        if check == nil || !plain.isEmpty {
            try await secrets.replace(
                try plain.map { ($0, try sealer.seal($0.value, owner: $0.owner)) }, check: try sealer.seal(checkText, owner: checkOwner),
                now: now)
        }
        return sealer
    }

    /// Opens every secret with `old` and seals it with `new`, in one transaction; returns how many.
    package static func rotate(_ secrets: StoredSecrets, from old: DataKey, to new: DataKey, now: Date) async throws -> Int {
        let (stored, check) = try await secrets.all()
        let before = SecretSealer(key: old)
        let after = SecretSealer(key: new)
        if let check, (try? before.open(check, owner: checkOwner)) != checkText {
            throw HubError(
                .internalError, code: "data_key_mismatch", message: "\(DataKey.environmentName) is not the key this database uses")
        }
        let changes = try stored.map { secret in
            (secret, try after.seal(try before.open(secret.value, owner: secret.owner), owner: secret.owner))
        }
        try await secrets.replace(changes, check: try after.seal(checkText, owner: checkOwner), now: now)
        return changes.count
    }
}
