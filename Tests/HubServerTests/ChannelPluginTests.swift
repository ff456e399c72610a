import Foundation
import HTTPTypes
import HubCore
import HubServer
import HummingbirdTesting
import Testing

/// A channel kind added the way README documents it (its folder under a `Plugins/` folder and
/// one line in Package.swift) is registered by the build and works end to end.
@Suite struct ChannelPluginTests {
    static let registry = ChannelKindRegistry.hub(compiled: CompiledChannelKinds.all)

    @Test func theGeneratedRegistryHoldsEveryListedPluginAndTheHubsOwnKind() {
        #expect(Self.registry.names == ["email", "loopback", "marketplace", "sms", "tracking", "webchat", "webhook", "wechat"])
    }

    @Test func aFixtureKindAddedTheDocumentedWayTakesWebhooksAndDeliversReplies() async throws {
        let manifest = TestHub.manifest(
            extraChannels: """
                  - id: loop
                    kind: loopback
                    settings: { key: "${LOOP_KEY:-loop-key}" }
                """)
        try await TestHub.run(manifest: manifest, registry: Self.registry) { client in
            let payload = #"{"id":"m-1","from":"+8613800138000","text":"where is my parcel?"}"#
            let key: HTTPFields = [HTTPField.Name("X-Loopback-Key")!: "loop-key"]
            let (refused, refusal) = try await client.decoded(
                Wire.ErrorAnswer.self, .post, "/hooks/loop", body: payload, token: nil, headers: [HTTPField.Name("X-Loopback-Key")!: "nope"]
            )
            #expect(refused == .unauthorized)
            #expect(!refusal.error.isEmpty)
            let (accepted, first) = try await client.decoded(
                Wire.StatusAnswer.self, .post, "/hooks/loop", body: payload, token: nil, headers: key)
            #expect(accepted == .ok)
            #expect(first.status == "accepted")
            let (_, second) = try await client.decoded(
                Wire.StatusAnswer.self, .post, "/hooks/loop", body: payload, token: nil, headers: key)
            #expect(second.status == "duplicate")

            let customer = try await eventually {
                try await client.decoded(Wire.CustomerList.self, .get, "/api/v1/customers?q=13800138000").1.customers.first
            }
            let timeline = try await client.decoded(Wire.Timeline.self, .get, "/api/v1/customers/\(customer.id)/timeline").1
            #expect(timeline.events.count == 1)
            #expect(timeline.events.first?.channel == "loop")
            let conversation = try #require(timeline.events.first?.conversation)

            let (queued, _) = try await client.decoded(
                Wire.QueuedReply.self, .post, "/api/v1/conversations/\(conversation)/messages",
                body: #"{"text":"it left the warehouse today"}"#)
            #expect(queued == .created)
            let delivered = try await eventually {
                try await client.decoded(Wire.ConversationDetail.self, .get, "/api/v1/conversations/\(conversation)").1.messages.last
                    .flatMap {
                        $0.status == "delivered" ? $0 : nil
                    }
            }
            #expect(delivered.direction == "out")
        }
    }
}
