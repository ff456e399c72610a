import Foundation
import HubCore

/// A webhook channel for tests of the generic path: inbound JSON `{"from", "text"}`
/// checked by a static header secret and deduped by `X-Event-Id`; sending always
/// fails with a retryable error, like a provider that is down.
enum RelayTestKind: ChannelKind {
    static let name = "relay-test"
    static let settingsSchema = SettingsSchema([SettingSpec("secret", .secret, required: true)])

    static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        RelayTestAdapter(channelID: channel.id, secret: channel.settings.string("secret") ?? "")
    }
}

struct RelayTestAdapter: ChannelAdapter {
    let channelID: ChannelID
    let secret: String
    var capabilities: ChannelCapabilities { ChannelCapabilities(partKinds: [.text], maxTextLength: 160) }

    func verify(_ request: InboundRequest) throws(HubError) {
        guard request.headers["x-test-secret"] == secret else { throw HubError.unauthorized("bad_signature", "wrong secret") }
    }

    func dedupeKey(for request: InboundRequest) throws(HubError) -> String? {
        request.headers["x-event-id"]
    }

    func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        guard let relayed = try? JSONDecoder().decode(RelayPayload.self, from: Data(raw.body)) else {
            throw HubError.badRequest("malformed", "expected {from, text}")
        }
        let (from, text) = (relayed.from, relayed.text)
        return [
            .message(
                InboundMessage(
                    providerMessageID: nil, threadKey: from, identities: [IdentityHint(kind: .phone, value: from, verified: true)],
                    senderName: nil, parts: [.text(text)], sentAt: raw.receivedAt))
        ]
    }

    func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        throw SendFailure(code: "503", message: "provider unavailable", retryable: true)
    }
}

/// What the relay test channel is sent.
struct RelayPayload: Decodable {
    var from: String
    var text: String
}
