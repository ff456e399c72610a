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

    func deliver<Answer: Decodable>(
        _ client: some TestClientProtocol, event: String, secret: String = "relay-secret", body: String, as answer: Answer.Type
    ) async throws -> (HTTPResponse.Status, Answer) {
        try await client.decoded(
            Answer.self, .post, "/hooks/relay", body: body, token: nil,
            headers: [HTTPField.Name("X-Test-Secret")!: secret, HTTPField.Name("X-Event-Id")!: event])
    }

    @Test func verifiedWebhooksAreStoredOnceAndRepliesDeadLetterAfterTheConfiguredAttempts() async throws {
        try await TestHub.run(manifest: Self.manifest, transport: .router) { client in
            let hi = #"{"from":"+8613800138000","text":"hi"}"#
            let (rejected, error) = try await deliver(client, event: "e1", secret: "wrong", body: hi, as: Wire.ErrorAnswer.self)
            #expect(rejected == .unauthorized)
            #expect(error.error == "bad_signature")
            #expect(try await client.decoded(Wire.CustomerList.self, .get, "/api/v1/customers").1.customers.isEmpty, "nothing stored")

            let (accepted, first) = try await deliver(client, event: "e1", body: hi, as: Wire.StatusAnswer.self)
            #expect(accepted == .ok)
            #expect(first.status == "accepted")
            let (again, second) = try await deliver(client, event: "e1", body: hi, as: Wire.StatusAnswer.self)
            #expect(again == .ok)
            #expect(second.status == "duplicate")

            let found = try await client.eventually(Wire.CustomerList.self, "/api/v1/customers?q=13800138000") { !$0.customers.isEmpty }
            #expect(found.customers.count == 1)
            let customer = try #require(found.customers.first?.id)
            let events = try await client.decoded(Wire.Timeline.self, .get, "/api/v1/customers/\(customer)/timeline").1.events
            #expect(events.count == 1, "the duplicate made no second message")
            let conversation = try #require(events.first?.conversation)

            let (queued, reply) = try await client.decoded(
                Wire.QueuedReply.self, .post, "/api/v1/conversations/\(conversation)/messages", body: #"{"text":"we are on it"}"#)
            #expect(queued == .created)
            let failed = try await client.eventually(Wire.EntryList<Wire.OutboxEntry>.self, "/api/v1/outbox?state=failed") {
                $0.entries.count == 1
            }
            let entry = try #require(failed.entries.first)
            #expect(entry.attempts == 3)
            #expect(entry.lastError == "503: provider unavailable")
            #expect(entry.message == reply.message.id)
            let messages = try await client.decoded(Wire.ConversationDetail.self, .get, "/api/v1/conversations/\(conversation)").1.messages
            #expect(messages.last?.status == "failed")
        }
    }

    @Test func unknownChannelAndOversizedWebhook() async throws {
        try await TestHub.run(manifest: Self.manifest, transport: .router) { client in
            let (unknown, body) = try await client.decoded(Wire.ErrorAnswer.self, .post, "/hooks/nowhere", body: "{}", token: nil)
            #expect(unknown == .notFound)
            #expect(body.error == "unknown_channel")
            let (tooLarge, error) = try await deliver(
                client, event: "big", body: String(repeating: "x", count: 10_000), as: Wire.ErrorAnswer.self)
            #expect(tooLarge == .contentTooLarge)
            #expect(error.error == "payload_too_large")
        }
    }
}
