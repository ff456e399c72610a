import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The generic `/hooks/{channel}` path and the outbox's retries, through a test channel kind.
@Suite struct WebhookPipelineTests {
    static let manifest = TestHub.manifest(
        extraChannels: """
              - id: relay
                kind: relay-test
                settings: { secret: "${RELAY_SECRET:-relay-secret}" }
            """,
        outbox: """
            outbox: { max_attempts: 3, initial_backoff: 10ms, max_backoff: 50ms }
            """)

    func deliver(_ client: some TestClientProtocol, event: String, secret: String = "relay-secret", body: String) async throws -> (
        HTTPResponse.Status, [String: Any]
    ) {
        try await client.json(
            .post, "/hooks/relay", body: body, token: nil,
            headers: [HTTPField.Name("X-Test-Secret")!: secret, HTTPField.Name("X-Event-Id")!: event])
    }

    @Test func verifiedWebhooksAreStoredOnceAndRepliesDeadLetterAfterTheConfiguredAttempts() async throws {
        try await TestHub.run(manifest: Self.manifest) { client in
            let (rejected, error) = try await deliver(client, event: "e1", secret: "wrong", body: #"{"from":"+8613800138000","text":"hi"}"#)
            #expect(rejected == .unauthorized)
            #expect(error["error"] as? String == "bad_signature")
            #expect(((try await client.json(.get, "/api/v1/customers").1["customers"]) as? [Any])?.isEmpty == true, "nothing stored")

            let (accepted, first) = try await deliver(client, event: "e1", body: #"{"from":"+8613800138000","text":"hi"}"#)
            #expect(accepted == .ok)
            #expect(first["status"] as? String == "accepted")
            let (again, second) = try await deliver(client, event: "e1", body: #"{"from":"+8613800138000","text":"hi"}"#)
            #expect(again == .ok)
            #expect(second["status"] as? String == "duplicate")

            let found = try await client.eventually("/api/v1/customers?q=13800138000") {
                !(($0["customers"] as? [[String: Any]]) ?? []).isEmpty
            }
            let customers = found["customers"] as? [[String: Any]] ?? []
            #expect(customers.count == 1)
            let customer = try #require(customers.first?["id"] as? Int)
            let events = try await client.json(.get, "/api/v1/customers/\(customer)/timeline").1["events"] as? [[String: Any]] ?? []
            #expect(events.count == 1, "the duplicate made no second message")
            let conversation = try #require(events.first?["conversation"] as? Int)

            let (queued, reply) = try await client.json(
                .post, "/api/v1/conversations/\(conversation)/messages", body: #"{"text":"we are on it"}"#)
            #expect(queued == .created)
            let failed = try await client.eventually("/api/v1/outbox?state=failed") { ($0["entries"] as? [[String: Any]])?.count == 1 }
            let entry = (failed["entries"] as? [[String: Any]])?.first ?? [:]
            #expect(entry["attempts"] as? Int == 3)
            #expect(entry["last_error"] as? String == "503: provider unavailable")
            #expect(entry["message"] as? Int == (reply["message"] as? [String: Any])?["id"] as? Int)
            let messages = try await client.json(.get, "/api/v1/conversations/\(conversation)").1["messages"] as? [[String: Any]] ?? []
            #expect(messages.last?["status"] as? String == "failed")
        }
    }

    @Test func unknownChannelAndOversizedWebhook() async throws {
        try await TestHub.run(manifest: Self.manifest) { client in
            let (unknown, body) = try await client.json(.post, "/hooks/nowhere", body: "{}", token: nil)
            #expect(unknown == .notFound)
            #expect(body["error"] as? String == "unknown_channel")
            let (tooLarge, error) = try await deliver(client, event: "big", body: String(repeating: "x", count: 10_000))
            #expect(tooLarge == .contentTooLarge)
            #expect(error["error"] as? String == "payload_too_large")
        }
    }
}
