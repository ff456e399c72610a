package import Crypto
package import Foundation
package import HubCore

/// The key that encrypts what the hub keeps at rest beyond its database pages (backups): 32 bytes,
/// base64, from `TRIBUTARY_DATA_KEY`. A key that is set but malformed is an error, never ignored.
package struct DataKey: Sendable {
    package static let environmentName = "TRIBUTARY_DATA_KEY"
    let key: SymmetricKey

    package init(key: SymmetricKey) {
        self.key = key
    }

    /// A new random key (`tributary keys generate`, tests).
    package static func random() -> DataKey {
        DataKey(key: SymmetricKey(size: .bits256))
    }

    /// The key as `TRIBUTARY_DATA_KEY` spells it.
    package var base64: String {
        key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The key from the environment; `nil` when the variable is unset.
    package static func fromEnvironment(_ environment: [String: String], name: String = environmentName) throws(HubError) -> DataKey? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let bytes = Data(base64Encoded: text.trimmingWhitespace()), bytes.count == 32 else {
            throw HubError(
                .internalError, code: "invalid_data_key",
                message: "\(name) must be 32 bytes in base64 (tributary keys generate makes one)")
        }
        return DataKey(key: SymmetricKey(data: bytes))
    }
}
