import Crypto
import Foundation
import HubCore

/// Signs outbound deliveries as Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256>`
/// over `id.timestamp.body`, keyed by the bytes of the `whsec_` secret.
struct WebhookSigner: Sendable {
    let key: SymmetricKey

    init?(secret: String) {
        guard let bytes = OutboundWebhook.secretKey(secret) else { return nil }
        key = SymmetricKey(data: bytes)
    }

    /// The three headers of a delivery.
    func headers(id: String, timestamp: Date, body: [UInt8]) -> [(name: String, value: String)] {
        let seconds = Int(timestamp.timeIntervalSince1970)
        var signed = Array("\(id).\(seconds).".utf8)
        signed += body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: key)
        return [
            ("webhook-id", id), ("webhook-timestamp", "\(seconds)"), ("webhook-signature", "v1," + Data(mac).base64EncodedString()),
        ]
    }
}
