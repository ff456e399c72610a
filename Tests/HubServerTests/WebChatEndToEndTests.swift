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
    static func next(_ type: String, from iterator: inout WebSocketInboundMessageStream.AsyncIterator) async throws -> Wire.ChatFrame {
        while let message = try await iterator.next() {
            guard case .text(let text) = message else { continue }
            let frame = try Wire.decode(Wire.ChatFrame.self, text)
            if frame.type == type { return frame }
        }
        Issue.record("socket closed before a '\(type)' frame")
        return Wire.ChatFrame(type: "closed")
    }

    struct SocketMessage: Encodable {
        var type = "message"
        var id: String
        var text: String
        var name: String?
        var email: String?
    }

    @Test func visitorChatsAgentReadsTimelineAndRepliesToTheOpenSocket() async throws {
        try await TestHub.run { client in
            try await client.ws("/chat/web") { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                let welcome = try await Self.next("welcome", from: &frames)
                #expect(welcome.visitor == nil)
                try await outbound.write(
                    .text(jsonBody(SocketMessage(id: "c-1", text: "Where is my order? 我的订单呢", name: "Ann", email: "Ann@Example.com"))))
                let ack = try await Self.next("ack", from: &frames)
                let customer = try #require(ack.customer)
                let conversation = try #require(ack.conversation)
                #expect(ack.visitor?.count ?? 0 >= 20)
                #expect(ack.id == "c-1")
                #expect(ack.duplicate == false)

                // The agent finds the customer and reads the timeline.
                let (status, found) = try await client.decoded(Wire.CustomerList.self, .get, "/api/v1/customers?q=ann")
                #expect(status == .ok)
                #expect(found.customers.first?.id == customer)
                let profile = try await client.decoded(Wire.Customer.self, .get, "/api/v1/customers/\(customer)").1
                #expect(profile.identities.contains { $0.kind == "email" && $0.value == "ann@example.com" && $0.verified == false })
                #expect(profile.identities.contains { $0.kind == "web_visitor" && $0.channel == "web" })
                let events = try await client.decoded(Wire.Timeline.self, .get, "/api/v1/customers/\(customer)/timeline?limit=10").1.events
                #expect(events.count == 1)
                #expect(events.first?.channel == "web")
                #expect(events.first?.kind == "message")
                #expect(events.first?.at.isEmpty == false)
                #expect(events.first?.message?.text == "Where is my order? 我的订单呢")

                // The reply reaches the open socket.
                let (replyStatus, reply) = try await client.decoded(
                    Wire.QueuedReply.self, .post, "/api/v1/conversations/\(conversation)/messages", body: #"{"text":"It ships today"}"#)
                #expect(replyStatus == .created)
                let pushed = try await Self.next("message", from: &frames)
                #expect(pushed.pushed?.text == "It ships today")
                #expect(pushed.pushed?.author?.role == "agent")
                #expect(pushed.pushed?.author?.name == "ada")
                let replyID = reply.message.id
                let detail = try await client.eventually(Wire.ConversationDetail.self, "/api/v1/conversations/\(conversation)") {
                    $0.messages.contains { $0.id == replyID && $0.status == "delivered" }
                }
                #expect(detail.messages.count == 2)
                let after = try await client.decoded(Wire.Timeline.self, .get, "/api/v1/customers/\(customer)/timeline").1
                #expect(after.events.first?.summary == "It ships today", "newest first")
            }
        }
    }

    @Test func reconnectingWithTheTokenResumesAndAnOfflineReplyArrivesOnReturn() async throws {
        try await TestHub.run { client in
            let (status, first) = try await client.decoded(
                Wire.ChatReceipt.self, .post, "/chat/web/messages", body: #"{"id":"h-1","text":"hello"}"#, token: nil)
            #expect(status == .created)
            let token = first.visitor
            let conversation = first.conversation
            let firstMessage = first.message
            // The visitor is away: the reply waits in the conversation.
            _ = try await client.status(.post, "/api/v1/conversations/\(conversation)/messages", body: #"{"text":"Are you still there?"}"#)
            _ = try await client.eventually(Wire.EntryList<Wire.OutboxEntry>.self, "/api/v1/outbox?state=sent") { $0.entries.count == 1 }
            let detail = try await client.decoded(Wire.ConversationDetail.self, .get, "/api/v1/conversations/\(conversation)").1
            #expect(detail.messages.last?.status == "sent", "not delivered while away")

            try await client.ws("/chat/web?visitor=\(token)&after=\(firstMessage)") { inbound, outbound, _ in
                var frames = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                let welcome = try await Self.next("welcome", from: &frames)
                #expect(welcome.visitor == token)
                #expect(welcome.conversation == conversation)
                let history = try await Self.next("history", from: &frames)
                let texts = (history.messages ?? []).compactMap(\.text)
                #expect(texts == ["Are you still there?"], "only what came after the last message the visitor saw")
                try await outbound.write(.text(#"{"type":"message","id":"h-2","text":"yes, back"}"#))
                let ack = try await Self.next("ack", from: &frames)
                #expect(ack.conversation == conversation, "same conversation after reconnecting")
                #expect(ack.visitor == token)
            }
            let messages = try await client.decoded(Wire.ConversationDetail.self, .get, "/api/v1/conversations/\(conversation)").1.messages
            #expect(messages.map(\.text) == ["hello", "Are you still there?", "yes, back"])
            #expect(messages.count == 3 && messages[1].status == "delivered")
            let history = try await client.decoded(Wire.ChatHistory.self, .get, "/chat/web/messages?visitor=\(token)", token: nil).1
            #expect(history.messages.count == 3)
            let tail = try await client.decoded(
                Wire.ChatHistory.self, .get, "/chat/web/messages?visitor=\(token)&after=\(firstMessage)", token: nil
            ).1
            #expect(tail.messages.count == 2)
        }
    }

    @Test func aRetriedPostAnswersTheSameIdsAndStoresNothingNew() async throws {
        try await TestHub.run(transport: .router) { client in
            // The widget's ids are UUIDs: a resend without the token it never received is matched to its visitor.
            let body = #"{"id":"5d0c3a8e-1f7b-4c2e-9a51-retry-1","text":"once only"}"#
            let (firstStatus, first) = try await client.decoded(Wire.ChatReceipt.self, .post, "/chat/web/messages", body: body, token: nil)
            let (secondStatus, second) = try await client.decoded(
                Wire.ChatReceipt.self, .post, "/chat/web/messages", body: body, token: nil)
            #expect(firstStatus == .created)
            #expect(secondStatus == .ok)
            #expect(first.visitor == second.visitor, "visitor differs")
            #expect(first.customer == second.customer, "customer differs")
            #expect(first.conversation == second.conversation, "conversation differs")
            #expect(first.message == second.message, "message differs")
            let withToken = #"{"id":"retry-2","text":"second","visitor":"\#(first.visitor)"}"#
            let thirdStatus = try await client.status(.post, "/chat/web/messages", body: withToken, token: nil)
            let fourthStatus = try await client.status(.post, "/chat/web/messages", body: withToken, token: nil)
            #expect(thirdStatus == .created)
            #expect(fourthStatus == .ok)
            let detail = try await client.decoded(Wire.ConversationDetail.self, .get, "/api/v1/conversations/\(first.conversation)").1
            #expect(detail.messages.count == 2)
            let customers = try await client.decoded(Wire.CustomerList.self, .get, "/api/v1/customers").1
            #expect(customers.customers.count == 1)
        }
    }

    @Test func aFirstMessageResentWithItsTokenIsOneMessageAndShortIdsNeverJoinVisitors() async throws {
        try await TestHub.run(transport: .router) { client in
            let (firstStatus, first) = try await client.decoded(
                Wire.ChatReceipt.self, .post, "/chat/web/messages", body: #"{"id":"m2","text":"hi"}"#, token: nil)
            #expect(firstStatus == .created)
            let token = first.visitor
            // The same message resent with the token the first answer gave: a duplicate.
            let (againStatus, again) = try await client.decoded(
                Wire.ChatReceipt.self, .post, "/chat/web/messages", body: #"{"id":"m2","text":"hi","visitor":"\#(token)"}"#, token: nil)
            #expect(againStatus == .ok)
            #expect(again.message == first.message)
            // Another visitor whose first message also says "m2" is somebody else.
            let (otherStatus, other) = try await client.decoded(
                Wire.ChatReceipt.self, .post, "/chat/web/messages", body: #"{"id":"m2","text":"hello"}"#, token: nil)
            #expect(otherStatus == .created)
            #expect(other.visitor != token)
            #expect(other.conversation != first.conversation)
            let detail = try await client.decoded(Wire.ConversationDetail.self, .get, "/api/v1/conversations/\(first.conversation)").1
            #expect(detail.messages.count == 1)
        }
    }

    @Test func badInputGetsAClearJSONError() async throws {
        try await TestHub.run { client in
            func expectError(
                _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = TestHub.agentToken,
                headers: HTTPFields = [:],
                _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
            ) async throws {
                let (actual, answer) = try await client.decoded(
                    Wire.ErrorAnswer.self, method, uri, body: body, token: token, headers: headers)
                #expect(actual == status, sourceLocation: sourceLocation)
                #expect(answer.error == code, sourceLocation: sourceLocation)
                #expect(!answer.message.isEmpty, sourceLocation: sourceLocation)
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
                #expect(error.error == "invalid_event")
                while try await frames.next() != nil {}
            }
            #expect(close?.reason == "invalid_event")
            // The server is still up.
            #expect(try await client.status(.get, "/healthz", token: nil) == .ok)
        }
    }

    @Test func channelsHealthReadinessAndServedDocuments() async throws {
        try await TestHub.run(transport: .router) { client in
            let (status, channels) = try await client.decoded(Wire.ChannelList.self, .get, "/api/v1/channels")
            #expect(status == .ok)
            let list = channels.channels
            #expect(list.map(\.id) == ["web"])
            #expect(list.first?.kind == "webchat")
            #expect(list.first?.status == "active")
            #expect(try await client.decoded(Wire.StatusAnswer.self, .get, "/healthz", token: nil).1.status == "ok")
            #expect(try await client.decoded(Wire.StatusAnswer.self, .get, "/readyz", token: nil).1.status == "ready")

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
