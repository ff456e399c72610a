import Crypto
import Foundation
import HubCore

/// Checks a declarative channel's inbound requests with the plug-in's scheme, the
/// secrets already taken from the channel's settings.
struct InboundAuthenticator: Sendable {
    enum Scheme: Sendable {
        case headerSecret(header: String, secret: String)
        case hmac(
            algorithm: WebhookPlugin.HMACAlgorithm, header: String, encoding: WebhookPlugin.SignatureEncoding, prefix: String, key: [UInt8])
        case standardWebhooks(key: [UInt8], tolerance: TimeInterval, replays: ReplayGuard)
    }

    let scheme: Scheme

    func verify(_ request: InboundRequest) throws(HubError) {
        switch scheme {
        case .headerSecret(let header, let secret):
            guard let given = request.headers[header], ConstantTime.equals(given, secret) else {
                throw HubError.unauthorized("bad_secret", "the \(header) header does not carry the channel's secret")
            }
        case .hmac(let algorithm, let header, let encoding, let prefix, let key):
            guard var given = request.headers[header] else { throw HubError.unauthorized("missing_signature", "\(header) is required") }
            if !prefix.isEmpty {
                guard given.hasPrefix(prefix) else {
                    throw HubError.unauthorized("bad_signature", "\(header) lacks the '\(prefix)' prefix")
                }
                given.removeFirst(prefix.count)
            }
            let mac: [UInt8] =
                switch algorithm {
                case .sha256: Array(HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: key)))
                case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: request.body, using: SymmetricKey(data: key)))
                }
            let expected = encoding == .hex ? mac.hexString : Data(mac).base64EncodedString()
            let candidate = encoding == .hex ? given.lowercased() : given
            guard ConstantTime.equals(expected, candidate) else {
                throw HubError.unauthorized("bad_signature", "\(header) does not match the body")
            }
        case .standardWebhooks(let key, let tolerance, let replays):
            try StandardWebhooks.verify(request, key: key, tolerance: tolerance)
            let id = request.headers["webhook-id"] ?? ""
            let timestamp = request.headers["webhook-timestamp"] ?? ""
            guard replays.firstSighting("\(id)|\(timestamp)", at: request.receivedAt) else {
                throw HubError.unauthorized("replayed", "this signed delivery (webhook-id and timestamp) was already received")
            }
        }
    }
}

/// The Standard Webhooks symmetric scheme: `v1,` base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}`, any of a space-separated list, inside a tolerance window.
enum StandardWebhooks {
    /// The key bytes of a `whsec_…` secret.
    static func key(fromSecret secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let key = Data(base64Encoded: encoded), !key.isEmpty else { return nil }
        return Array(key)
    }

    static func signature(id: String, timestamp: String, body: [UInt8], key: [UInt8]) -> String {
        let content = Array("\(id).\(timestamp).".utf8) + body
        return Data(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))).base64EncodedString()
    }

    static func verify(_ request: InboundRequest, key: [UInt8], tolerance: TimeInterval) throws(HubError) {
        guard let id = request.headers["webhook-id"], let timestamp = request.headers["webhook-timestamp"],
            let signatures = request.headers["webhook-signature"]
        else { throw HubError.unauthorized("missing_signature", "webhook-id, webhook-timestamp and webhook-signature are required") }
        guard let seconds = Double(timestamp), abs(request.receivedAt.timeIntervalSince1970 - seconds) <= tolerance else {
            throw HubError.unauthorized("stale_timestamp", "webhook-timestamp is outside the \(Int(tolerance)) s tolerance")
        }
        let expected = signature(id: id, timestamp: timestamp, body: request.body, key: key)
        // Skip malformed and non-v1 entries instead of failing on them: senders list
        // several during key rotation.
        let matched = signatures.split(separator: " ").contains { entry in
            let pieces = entry.split(separator: ",", maxSplits: 1)
            return pieces.count == 2 && pieces[0] == "v1" && ConstantTime.equals(String(pieces[1]), expected)
        }
        guard matched else { throw HubError.unauthorized("bad_signature", "no v1 signature in webhook-signature matches") }
    }
}
