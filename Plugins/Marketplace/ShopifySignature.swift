import Crypto
import Foundation
import HubCore

/// `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body, keyed with the app's
/// client secret. Several secrets are accepted while one is being rotated.
enum ShopifySignature {
    static func compute(body: [UInt8], secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))).base64EncodedString()
    }

    static func isValid(_ signature: String, body: [UInt8], secrets: [String]) -> Bool {
        // Every secret is tried, so timing does not tell which one matched.
        secrets.reduce(false) { matched, secret in ConstantTime.equals(compute(body: body, secret: secret), signature) || matched }
    }
}
