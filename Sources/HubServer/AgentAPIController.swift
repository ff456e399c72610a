import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/api/v1`: what agents (and the console) read and do, behind bearer tokens.
struct AgentAPIController {
    let hub: Hub

    func register(on router: Router<HubRequestContext>) {
        let api = router.group("api/v1").add(middleware: AgentAuthMiddleware(agents: hub.manifest.agents))
        api.get("channels") { _, _ in try await channels() }
        api.get("customers") { request, _ in
            let query = request.uri.queryParameters["q"].map(String.init) ?? ""
            let customers = try await hub.customers.search(query, limit: try limit(request, default: 50))
            return try JSONResponse.make(["customers": customers])
        }
        api.get("customers/{id}") { _, context in
            try JSONResponse.make(try await customer(context))
        }
        api.get("customers/{id}/timeline") { request, context in
            let customer = try await customer(context)
            var cursor: TimelineCursor?
            if let before = request.uri.queryParameters["before"].map(String.init), !before.isEmpty {
                guard let parsed = TimelineCursor(token: before) else {
                    throw HubError.badRequest("invalid_parameter", "'before' must be the 'next' value of a previous page")
                }
                cursor = parsed
            }
            let page = try await hub.customers.timeline(customerID: customer.id, limit: try limit(request, default: 50), before: cursor)
            return try JSONResponse.make(page)
        }
        api.get("conversations/{id}") { request, context in
            let conversation = try await conversation(context)
            let messages = try await hub.conversations.messages(
                conversationID: conversation.id, after: try request.integerQuery("after"),
                limit: try limit(request, default: 200, maximum: 1000))
            return try JSONResponse.make(ConversationDetail(conversation: conversation, messages: messages))
        }
        api.post("conversations/{id}/messages") { request, context in try await reply(request, context: context) }
        api.get("outbox") { request, _ in
            let state = request.uri.queryParameters["state"].map(String.init)
            if let state, !["pending", "sending", "sent", "failed"].contains(state) {
                throw HubError.badRequest("invalid_parameter", "'state' must be pending, sending, sent or failed")
            }
            let entries = try await hub.outbox.entries(state: state, limit: try limit(request, default: 100))
            return try JSONResponse.make(["entries": entries])
        }
        EventsController(hub: hub).register(on: api)
        InboxController(hub: hub).register(on: api)
        WebhooksController(hub: hub).register(on: api)
    }

    private func channels() async throws -> Response {
        var list: [ChannelStatus] = []
        for channel in hub.manifest.channels {
            list.append(
                ChannelStatus(
                    id: channel.id, kind: channel.kind, status: hub.adapters[channel.id] == nil ? "unavailable" : "active",
                    liveSessions: channel.kind == "webchat" ? await hub.live.count(channelID: channel.id) : nil))
        }
        return try JSONResponse.make(["channels": list])
    }

    private func customer(_ context: HubRequestContext) async throws -> CustomerProfile {
        guard let profile = try await hub.customers.profile(id: try context.parameters.id("id", resource: "customer")) else {
            throw HubError.notFound("unknown_customer", "no customer with that id")
        }
        return profile
    }

    private func conversation(_ context: HubRequestContext) async throws -> ConversationSummary {
        guard let conversation = try await hub.conversations.conversation(id: try context.parameters.id("id", resource: "conversation"))
        else {
            throw HubError.notFound("unknown_conversation", "no conversation with that id")
        }
        return conversation
    }

    /// `POST /api/v1/conversations/{id}/messages {"text": …}`: queue a reply; the dispatcher delivers it.
    private func reply(_ request: Request, context: HubRequestContext) async throws -> Response {
        let conversationID = try context.parameters.id("id", resource: "conversation")
        var request = request
        let body = try await request.collectBytes(limit: hub.manifest.server.maxBodyBytes)
        let text: String
        do {
            text = try JSONDecoder().decode(ReplyRequest.self, from: Data(body)).text
        } catch {
            throw HubError.badRequest("malformed_json", "the body must be {\"text\": string}")
        }
        guard !text.trimmingWhitespace().isEmpty else { throw HubError.badRequest("empty_text", "'text' must not be empty") }
        let author = Author(role: .agent, name: context.agentName)
        guard
            let queued = try await hub.outbox.enqueueReply(
                conversationID: conversationID, parts: [.text(text)], author: author,
                capabilities: { channelID in hub.adapters[channelID]?.capabilities }, now: Date())
        else {
            throw HubError.notFound("unknown_conversation", "no conversation with that id")
        }
        hub.dispatcher.wake()
        context.logger.info("reply queued", metadata: ["channel": .string(queued.message.channelID), "outbox": "\(queued.outboxID)"])
        return try JSONResponse.make(ReplyQueued(message: queued.message, outbox: queued.outboxID), status: .created)
    }

    private func limit(_ request: Request, default value: Int, maximum: Int = 200) throws -> Int {
        guard let requested = try request.integerQuery("limit") else { return value }
        guard requested >= 1 else { throw HubError.badRequest("invalid_parameter", "'limit' must be at least 1") }
        return Int(min(requested, Int64(maximum)))
    }
}

struct ReplyRequest: Decodable {
    var text: String
}

struct ReplyQueued: Encodable {
    var message: MessageView
    var outbox: OutboxID
}

struct ConversationDetail: Encodable {
    var conversation: ConversationSummary
    var messages: [MessageView]
}

struct ChannelStatus: Encodable {
    var id: ChannelID
    var kind: String
    var status: String
    var liveSessions: Int?

    enum CodingKeys: String, CodingKey {
        case id, kind, status
        case liveSessions = "live_sessions"
    }
}
