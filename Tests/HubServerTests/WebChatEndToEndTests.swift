import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import NIOCore
import Testing

/// A visitor and an agent talking through the real server over 127.0.0.1.
@Suite struct WebChatEndToEndTests {
    /// Reads frames until one of `type` arrives.
    static func next(_ type: String, from iterator: inout WebSocketInboundMessageStream.AsyncIterator) async throws -> [String: Any] {
        while let message = try await iterator.next() {
            guard case .text(let text) = message else { continue }
            let frame = jsonObject(text)
            if frame["type"] as? String == type { return frame }
        }
        Issue.record("socket closed before a '\(type)' frame")
        return [:]
    }

    @Test func visitorChatsAgentReadsTimelineAndRepliesToTheOpenSocket() async throws {
        try await TestHub.run { client in
            try await client.ws("/chat/web") { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                let welcome = try await Self.next("welcome", from: &frames)
                #expect(welcome["visitor"] is NSNull || welcome["visitor"] == nil)
                try await outbound.write(
                    .text(
                        jsonText([
                            "type": "message", "id": "c-1", "text": "Where is my order? 我的订单呢", "name": "Ann", "email": "Ann@Example.com",
                        ])))
                let ack = try await Self.next("ack", from: &frames)
                let customer = try #require(ack["customer"] as? Int)
                let conversation = try #require(ack["conversation"] as? Int)
                #expect((ack["visitor"] as? String)?.count ?? 0 >= 20)
                #expect(ack["id"] as? String == "c-1")
                #expect(ack["duplicate"] as? Bool == false)

                // The agent finds the customer and reads the timeline.
                let (status, found) = try await client.json(.get, "/api/v1/customers?q=ann")
                #expect(status == .ok)
                #expect(((found["customers"] as? [[String: Any]])?.first?["id"] as? Int) == customer)
                let (_, profile) = try await client.json(.get, "/api/v1/customers/\(customer)")
                let identities = profile["identities"] as? [[String: Any]] ?? []
                #expect(
                    identities.contains {
                        $0["kind"] as? String == "email" && $0["value"] as? String == "ann@example.com" && $0["verified"] as? Bool == false
                    })
                #expect(identities.contains { $0["kind"] as? String == "web_visitor" && $0["channel"] as? String == "web" })
                let (_, timeline) = try await client.json(.get, "/api/v1/customers/\(customer)/timeline?limit=10")
                let events = timeline["events"] as? [[String: Any]] ?? []
                #expect(events.count == 1)
                #expect(events.first?["channel"] as? String == "web")
                #expect(events.first?["kind"] as? String == "message")
                #expect(events.first?["at"] is String)
                #expect((events.first?["message"] as? [String: Any])?["text"] as? String == "Where is my order? 我的订单呢")

                // The reply reaches the open socket.
                let (replyStatus, reply) = try await client.json(
                    .post, "/api/v1/conversations/\(conversation)/messages", body: #"{"text":"It ships today"}"#)
                #expect(replyStatus == .created)
                let pushed = try await Self.next("message", from: &frames)
                let message = pushed["message"] as? [String: Any] ?? [:]
                #expect(message["text"] as? String == "It ships today")
                #expect((message["author"] as? [String: Any])?["role"] as? String == "agent")
                #expect((message["author"] as? [String: Any])?["name"] as? String == "ada")
                let replyID = (reply["message"] as? [String: Any])?["id"] as? Int
                let detail = try await client.eventually("/api/v1/conversations/\(conversation)") { detail in
                    let messages = detail["messages"] as? [[String: Any]] ?? []
                    return messages.contains { $0["id"] as? Int == replyID && $0["status"] as? String == "delivered" }
                }
                #expect((detail["messages"] as? [[String: Any]])?.count == 2)
                let (_, after) = try await client.json(.get, "/api/v1/customers/\(customer)/timeline")
                #expect((after["events"] as? [[String: Any]])?.first?["summary"] as? String == "It ships today", "newest first")
            }
        }
    }

    @Test func reconnectingWithTheTokenResumesAndAnOfflineReplyArrivesOnReturn() async throws {
        try await TestHub.run { client in
            let (status, first) = try await client.json(.post, "/chat/web/messages", body: #"{"id":"h-1","text":"hello"}"#, token: nil)
            #expect(status == .created)
            let token = try #require(first["visitor"] as? String)
            let conversation = try #require(first["conversation"] as? Int)
            let firstMessage = try #require(first["message"] as? Int)
            // The visitor is away: the reply waits in the conversation.
            try await client.json(.post, "/api/v1/conversations/\(conversation)/messages", body: #"{"text":"Are you still there?"}"#)
            _ = try await client.eventually("/api/v1/outbox?state=sent") { ($0["entries"] as? [[String: Any]])?.count == 1 }
            let (_, detail) = try await client.json(.get, "/api/v1/conversations/\(conversation)")
            #expect((detail["messages"] as? [[String: Any]])?.last?["status"] as? String == "sent", "not delivered while away")

            try await client.ws("/chat/web?visitor=\(token)&after=\(firstMessage)") { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                let welcome = try await Self.next("welcome", from: &frames)
                #expect(welcome["visitor"] as? String == token)
                #expect(welcome["conversation"] as? Int == conversation)
                let history = try await Self.next("history", from: &frames)
                let texts = (history["messages"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
                #expect(texts == ["Are you still there?"], "only what came after the last message the visitor saw")
                try await outbound.write(.text(#"{"type":"message","id":"h-2","text":"yes, back"}"#))
                let ack = try await Self.next("ack", from: &frames)
                #expect(ack["conversation"] as? Int == conversation, "same conversation after reconnecting")
                #expect(ack["visitor"] as? String == token)
            }
            let (_, resumed) = try await client.json(.get, "/api/v1/conversations/\(conversation)")
            let messages = resumed["messages"] as? [[String: Any]] ?? []
            #expect(messages.compactMap { $0["text"] as? String } == ["hello", "Are you still there?", "yes, back"])
            #expect(messages[1]["status"] as? String == "delivered")
            let (_, history) = try await client.json(.get, "/chat/web/messages?visitor=\(token)", token: nil)
            #expect((history["messages"] as? [[String: Any]])?.count == 3)
            let (_, tail) = try await client.json(.get, "/chat/web/messages?visitor=\(token)&after=\(firstMessage)", token: nil)
            #expect((tail["messages"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func aRetriedPostAnswersTheSameIdsAndStoresNothingNew() async throws {
        try await TestHub.run { client in
            // The widget's ids are UUIDs: a resend without the token it never received is matched to its visitor.
            let body = #"{"id":"5d0c3a8e-1f7b-4c2e-9a51-retry-1","text":"once only"}"#
            let (firstStatus, first) = try await client.json(.post, "/chat/web/messages", body: body, token: nil)
            let (secondStatus, second) = try await client.json(.post, "/chat/web/messages", body: body, token: nil)
            #expect(firstStatus == .created)
            #expect(secondStatus == .ok)
            for key in ["visitor", "customer", "conversation", "message"] {
                #expect(String(describing: first[key]) == String(describing: second[key]), "\(key) differs")
            }
            let token = try #require(first["visitor"] as? String)
            let withToken = #"{"id":"retry-2","text":"second","visitor":"\#(token)"}"#
            let (thirdStatus, _) = try await client.json(.post, "/chat/web/messages", body: withToken, token: nil)
            let (fourthStatus, _) = try await client.json(.post, "/chat/web/messages", body: withToken, token: nil)
            #expect(thirdStatus == .created)
            #expect(fourthStatus == .ok)
            let (_, detail) = try await client.json(.get, "/api/v1/conversations/\(first["conversation"] as? Int ?? 0)")
            #expect((detail["messages"] as? [[String: Any]])?.count == 2)
            let (_, customers) = try await client.json(.get, "/api/v1/customers")
            #expect((customers["customers"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func aFirstMessageResentWithItsTokenIsOneMessageAndShortIdsNeverJoinVisitors() async throws {
        try await TestHub.run { client in
            let (firstStatus, first) = try await client.json(.post, "/chat/web/messages", body: #"{"id":"m2","text":"hi"}"#, token: nil)
            #expect(firstStatus == .created)
            let token = try #require(first["visitor"] as? String)
            // The same message resent with the token the first answer gave: a duplicate.
            let (againStatus, again) = try await client.json(
                .post, "/chat/web/messages", body: #"{"id":"m2","text":"hi","visitor":"\#(token)"}"#, token: nil)
            #expect(againStatus == .ok)
            #expect(again["message"] as? Int == first["message"] as? Int)
            // Another visitor whose first message also says "m2" is somebody else.
            let (otherStatus, other) = try await client.json(.post, "/chat/web/messages", body: #"{"id":"m2","text":"hello"}"#, token: nil)
            #expect(otherStatus == .created)
            #expect(other["visitor"] as? String != token)
            #expect(other["conversation"] as? Int != first["conversation"] as? Int)
            let (_, detail) = try await client.json(.get, "/api/v1/conversations/\(first["conversation"] as? Int ?? 0)")
            #expect((detail["messages"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func badInputGetsAClearJSONError() async throws {
        try await TestHub.run { client in
            func expectError(
                _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = TestHub.agentToken,
                headers: HTTPFields = [:],
                _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
            ) async throws {
                let (actual, json) = try await client.json(method, uri, body: body, token: token, headers: headers)
                #expect(actual == status, sourceLocation: sourceLocation)
                #expect(json["error"] as? String == code, sourceLocation: sourceLocation)
                #expect(json["message"] is String, sourceLocation: sourceLocation)
            }
            try await expectError(.post, "/chat/web/messages", body: "{not json", token: nil, .badRequest, "malformed_json")
            try await expectError(.post, "/chat/web/messages", body: #"{"id":"x"}"#, token: nil, .badRequest, "missing_field")
            try await expectError(.post, "/chat/web/messages", body: #"{"text":42}"#, token: nil, .badRequest, "invalid_field")
            try await expectError(.post, "/chat/web/messages", body: #"{"text":"  "}"#, token: nil, .badRequest, "empty_text")
            try await expectError(.post, "/chat/nowhere/messages", body: #"{"text":"hi"}"#, token: nil, .notFound, "unknown_channel")
            try await expectError(
                .post, "/chat/web/messages", body: #"{"text":"hi","visitor":"forged"}"#, token: nil, .unauthorized, "invalid_visitor")
            try await expectError(
                .post, "/chat/web/messages", body: #"{"text":"hi"}"#, token: nil, headers: [.origin: "http://evil.test"], .forbidden,
                "origin_not_allowed")
            let big = #"{"text":""# + String(repeating: "a", count: 5000) + #""}"#
            try await expectError(.post, "/chat/web/messages", body: big, token: nil, .contentTooLarge, "payload_too_large")
            try await expectError(.get, "/api/v1/channels", token: nil, .unauthorized, "missing_token")
            try await expectError(.get, "/api/v1/channels", token: "wrong-token-value", .unauthorized, "invalid_token")
            try await expectError(.get, "/api/v1/customers/4242", .notFound, "unknown_customer")
            try await expectError(.get, "/api/v1/customers/abc/timeline", .notFound, "unknown_customer")
            try await expectError(.get, "/api/v1/conversations/4242", .notFound, "unknown_conversation")
            try await expectError(.post, "/api/v1/conversations/4242/messages", body: #"{"text":"x"}"#, .notFound, "unknown_conversation")
            try await expectError(.post, "/api/v1/conversations/1/messages", body: "[]", .badRequest, "malformed_json")
            try await expectError(.get, "/api/v1/outbox?state=lost", .badRequest, "invalid_parameter")
            try await expectError(.get, "/no/such/route", .notFound, "not_found")

            // A socket frame that is not a chat event: an error frame, then a close with the reason.
            let close = try await client.ws("/chat/web") { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                _ = try await Self.next("welcome", from: &frames)
                try await outbound.write(.text(#"{"type":"dance"}"#))
                let error = try await Self.next("error", from: &frames)
                #expect(error["error"] as? String == "invalid_event")
                while try await frames.next() != nil {}
            }
            #expect(close?.reason == "invalid_event")
            // The server is still up.
            let (status, _) = try await client.json(.get, "/healthz", token: nil)
            #expect(status == .ok)
        }
    }

    @Test func channelsHealthReadinessAndServedDocuments() async throws {
        try await TestHub.run { client in
            let (status, channels) = try await client.json(.get, "/api/v1/channels")
            #expect(status == .ok)
            let list = channels["channels"] as? [[String: Any]] ?? []
            #expect(list.map { $0["id"] as? String } == ["web"])
            #expect(list.first?["kind"] as? String == "webchat")
            #expect(list.first?["status"] as? String == "active")
            #expect(try await client.json(.get, "/healthz", token: nil).1["status"] as? String == "ok")
            #expect(try await client.json(.get, "/readyz", token: nil).1["status"] as? String == "ready")

            let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let specOnDisk = try String(
                contentsOf: repository.appendingPathComponent("Sources/HubServer/Resources/openapi.yaml"), encoding: .utf8)
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == specOnDisk)
            }
            try await client.execute(uri: "/widget.js", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/javascript") == true)
                #expect(String(buffer: response.body).contains("/chat/"))
            }
            try await client.execute(uri: "/widget/demo", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("widget.js"))
                #expect(page.contains(#"data-channel="web" data-title="Chat with us""#))
            }
        }
    }
}
