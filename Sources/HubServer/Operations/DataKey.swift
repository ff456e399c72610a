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

    /// The key from the environment; `nil` when the variable is unset.
    package static func fromEnvironment(_ environment: [String: String]) throws(HubError) -> DataKey? {
        guard let text = environment[environmentName], !text.isEmpty else { return nil }
        guard let bytes = Data(base64Encoded: text.trimmingWhitespace()), bytes.count == 32 else {
            throw HubError(
                .internalError, code: "invalid_data_key",
                message: "\(environmentName) must be 32 bytes in base64 (for example: head -c 32 /dev/urandom | base64)")
        }
        return DataKey(key: SymmetricKey(data: bytes))
    }
}
