import Foundation
import HTTPTypes
import HubCore
import HummingbirdTesting
import HummingbirdWSTesting
import Logging
import NIOCore
import Testing

/// The event log over HTTP: `GET /api/v1/events` (paging, filters, long poll), the
/// `/api/v1/stream` WebSocket (replay, live, reconnect), and the inbox API for failed entries.
@Suite struct EventLogAPITests {
    static let manifest = TestHub.manifest(
        extraChannels: """
              - id: relay
                kind: relay-test
                settings: { secret: "${RELAY_SECRET:-relay-secret}" }
            """)

    struct ChatPost: Encodable {
        var id: String
        var text: String
        var visitor: String?
    }

    static func chat(_ client: any TestClientProtocol, _ id: String, _ text: String, visitor: String? = nil) async throws
        -> Wire.ChatReceipt
    {
        let (status, receipt) = try await client.decoded(
            Wire.ChatReceipt.self, .post, "/chat/web/messages", body: jsonBody(ChatPost(id: id, text: text, visitor: visitor)), token: nil)
        #expect(status == .created || status == .ok)
        return receipt
    }

    static func events(_ client: any TestClientProtocol, _ query: String) async throws -> (HTTPResponse.Status, [Wire.LoggedEvent], Int) {
        let (status, page) = try await client.decoded(Wire.EventPage.self, .get, "/api/v1/events?\(query)")
        return (status, page.events, page.next)
    }

    @Test func eventsArePagedByGapFreeSeqAndCarryTheMessage() async throws {
        try await TestHub.run(transport: .router) { client in
            let first = try await Self.chat(client, "a1", "hello")
            let token = first.visitor
            _ = try await Self.chat(client, "a2", "second", visitor: token)
            let (status, all, next) = try await Self.events(client, "after=0")
            #expect(status == .ok)
            let seqs = all.map(\.seq)
            #expect(seqs == Array(1...seqs.count), "seq starts at 1 and has no gaps")
            #expect(next == seqs.last)
            #expect(
                all.map(\.type) == [
                    "customer.created", "conversation.opened", "message.received", "message.received",
                ])
            let received = try #require(all.last?.data)
            let message = try #require(received.message)
            #expect(message.text == "second")
            #expect(received.customer == first.customer)
            #expect(received.conversation?.id == first.conversation)
            #expect(received.channel == "web")
            #expect(all.last?.at.hasSuffix("Z") == true)

            let (_, page, pageNext) = try await Self.events(client, "after=1&limit=2")
            #expect(page.map(\.seq) == [2, 3])
            #expect(pageNext == 3)
            let (_, filtered, filteredNext) = try await Self.events(client, "after=0&types=message.received")
            #expect(filtered.map(\.seq) == [3, 4])
            #expect(filteredNext == 4)
            let (_, none, noneNext) = try await Self.events(client, "after=0&types=order.upserted")
            #expect(none.isEmpty)
            #expect(noneNext == 4, "a filter that matches nothing still moves the reader to the head")

            let (badType, badTypeBody) = try await client.decoded(Wire.ErrorAnswer.self, .get, "/api/v1/events?types=message.recieved")
            #expect(badType == .badRequest)
            #expect(badTypeBody.error == "invalid_parameter")
            #expect(try await client.status(.get, "/api/v1/events?after=x") == .badRequest)
            #expect(try await client.status(.get, "/api/v1/events", token: nil) == .unauthorized)
        }
    }

    @Test func aLongPollReturnsAsSoonAsAnEventIsCommitted() async throws {
        try await TestHub.run { client in
            let clock = ContinuousClock()
            let started = clock.now
            let (_, empty, emptyNext) = try await Self.events(client, "after=0&wait=300ms")
            #expect(empty.isEmpty)
            #expect(emptyNext == 0)
            #expect(clock.now - started >= .milliseconds(250), "an empty log holds the request for the wait")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Over a socket: the test client's HTTP requests share one connection.
                    try await Task.sleep(for: .milliseconds(300))
                    try await client.ws("/chat/web") { inbound, outbound, _ in
                        try await outbound.write(.text(#"{"type":"message","id":"p1","text":"are you there?"}"#))
                        for try await frame in inbound.messages(maxSize: 1 << 16) {
                            if case .text(let text) = frame, try Wire.decode(Wire.ChatFrame.self, text).type == "ack" { return }
                        }
                    }
                }
                let polled = clock.now
                let (_, events, _) = try await Self.events(client, "after=0&types=message.received&wait=10s")
                #expect(events.count == 1)
                #expect(clock.now - polled < .seconds(10), "answered when the message was committed, not at the end of the wait")
                try await group.waitForAll()
            }
        }
    }

    @Test func theStreamReplaysThenPushesLiveAndAReconnectMissesNothing() async throws {
        try await TestHub.run { client in
            let first = try await Self.chat(client, "s1", "before the socket")
            let token = first.visitor
            let received = Received()
            // Replay from 0, then one live message; read until both message.received frames came.
            try await client.ws("/api/v1/stream?after=0&token=\(TestHub.agentToken)") { inbound, _, _ in
                var seen = 0
                for try await frame in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = frame else { continue }
                    let event = try Wire.decode(Wire.LoggedEvent.self, text)
                    await received.add(text)
                    if event.type == "message.received" {
                        seen += 1
                        if seen == 1 { _ = try await Self.chat(client, "s2", "while connected", visitor: token) }
                        if seen == 2 { return }
                    }
                }
            }
            let live = try await received.frames.map { try Wire.decode(Wire.LoggedEvent.self, $0) }
            let seqs = live.map(\.seq)
            #expect(seqs == Array(1...seqs.count))
            #expect(live.compactMap { $0.data.message?.text } == ["before the socket", "while connected"])

            // Offline meanwhile: two more messages. Reconnecting after the last seq seen gets exactly those.
            _ = try await Self.chat(client, "s3", "while away", visitor: token)
            _ = try await Self.chat(client, "s4", "still away", visitor: token)
            let last = try #require(seqs.last)
            let resumed = Received()
            try await client.ws(
                "/api/v1/stream?after=\(last)&types=message.received",
                configuration: .init(additionalHeaders: [.authorization: "Bearer \(TestHub.agentToken)"])
            ) { inbound, _, _ in
                for try await frame in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = frame else { continue }
                    await resumed.add(text)
                    if await resumed.frames.count == 2 { return }
                }
            }
            let again = try await resumed.frames.map { try Wire.decode(Wire.LoggedEvent.self, $0) }
            #expect(again.map(\.seq).allSatisfy { $0 > last }, "nothing seen twice")
            #expect(again.compactMap { $0.data.message?.text } == ["while away", "still away"])
        }
    }

    @Test func theStreamRefusesAMissingOrWrongToken() async throws {
        try await TestHub.run(transport: .router) { client in
            let (missing, error) = try await client.decoded(Wire.ErrorAnswer.self, .get, "/api/v1/stream", token: nil)
            #expect(missing == .unauthorized)
            #expect(error.error == "missing_token")
            #expect(try await client.status(.get, "/api/v1/stream?token=nope", token: nil) == .unauthorized)
            let (plain, plainError) = try await client.decoded(Wire.ErrorAnswer.self, .get, "/api/v1/stream")
            #expect(plain == .badRequest)
            #expect(plainError.error == "upgrade_required")
        }
    }

    @Test func anUndecodablePayloadIsStoredFailedListedAndRetriable() async throws {
        try await TestHub.run(manifest: Self.manifest, transport: .router) { client in
            let headers: HTTPFields = [HTTPField.Name("X-Test-Secret")!: "relay-secret", HTTPField.Name("X-Event-Id")!: "bad-1"]
            let (status, answer) = try await client.decoded(
                Wire.StatusAnswer.self, .post, "/hooks/relay", body: #"{"unexpected":true}"#, token: nil, headers: headers)
            #expect(status == .ok, "acknowledged as stored: the provider must not retry what the hub keeps")
            #expect(answer.status == "accepted")
            let failed = try await client.eventually(Wire.EntryList<Wire.InboxEntry>.self, "/api/v1/inbox?state=failed") {
                $0.entries.count == 1
            }
            let entry = try #require(failed.entries.first)
            #expect(entry.lastError?.contains("expected {from, text}") == true)
            #expect(entry.channel == "relay")
            #expect(entry.dedupeKey == "bad-1")
            let (retried, retry) = try await client.decoded(Wire.StatusAnswer.self, .post, "/api/v1/inbox/\(entry.id)/retry")
            #expect(retried == .accepted)
            #expect(retry.status == "queued")
            // The same bytes fail the same way again, and stay listed.
            let again = try await client.eventually(Wire.EntryList<Wire.InboxEntry>.self, "/api/v1/inbox?state=failed") {
                $0.entries.first?.attempts == 1
            }
            #expect(again.entries.count == 1)
            let (notFailed, notFailedBody) = try await client.decoded(Wire.ErrorAnswer.self, .post, "/api/v1/inbox/424242/retry")
            #expect(notFailed == .notFound)
            #expect(notFailedBody.error == "unknown_inbox_entry")
            #expect(try await client.status(.get, "/api/v1/inbox?state=odd") == .badRequest)
        }
    }
}

/// Frames a socket test collected.
actor Received {
    var frames: [String] = []

    func add(_ frame: String) {
        frames.append(frame)
    }
}
