import Foundation
import HubCore

/// The fixture kind's adapter: a shared key, the payload's `id` as dedupe key, a phone identity.
struct LoopbackAdapter: ChannelAdapter {
    let channelID: ChannelID
    let key: String

    var capabilities: ChannelCapabilities { ChannelCapabilities(partKinds: [.text], maxTextLength: 1000) }

    func verify(_ request: InboundRequest) throws(HubError) {
        guard ConstantTime.equals(request.headers["x-loopback-key"] ?? "", key) else {
            throw HubError.unauthorized("bad_signature", "X-Loopback-Key does not match the channel's key")
        }
    }

    func dedupeKey(for request: InboundRequest) throws(HubError) -> String? {
        try LoopbackPayload.decode(request.body).id
    }

    func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        let payload = try LoopbackPayload.decode(raw.body)
        return [
            .message(
                InboundMessage(
                    providerMessageID: payload.id, threadKey: payload.from,
                    identities: [IdentityHint(kind: .phone, value: payload.from, verified: true)], senderName: nil,
                    parts: [.text(payload.text)], sentAt: raw.receivedAt))
        ]
    }

    func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        SendReceipt(providerMessageID: "loopback-\(message.outboxID)", status: .delivered)
    }
}

/// `{"id": "…", "from": "+8613800138000", "text": "…"}`.
struct LoopbackPayload: Decodable {
    var id: String
    var from: String
    var text: String

    static func decode(_ body: [UInt8]) throws(HubError) -> LoopbackPayload {
        do {
            return try JSONDecoder().decode(LoopbackPayload.self, from: Data(body))
        } catch {
            throw HubError.badRequest("malformed_json", "expected {\"id\", \"from\", \"text\"}")
        }
    }
}
