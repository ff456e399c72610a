import Foundation
import HubCore
import Hummingbird
import HummingbirdWebSocket
import WebChat

/// `/chat/{channel}`: the web chat's HTTP endpoints. The socket lives in ``ChatSocketHandler``.
struct ChatController {
    let hub: Hub
    var ingest: ChatIngest { ChatIngest(hub: hub) }

    func register(on router: Router<HubRequestContext>) {
        router.post("chat/{channel}/messages") { request, context in try await post(request, context: context) }
        router.get("chat/{channel}/messages") { request, context in try await history(request, context: context) }
    }

    /// `POST /chat/{channel}/messages`: 201 for a new message, 200 for a retry of a known one.
    func post(_ request: Request, context: HubRequestContext) async throws -> Response {
        let channel = try ingest.channel(try context.parameters.require("channel"))
        var request = request
        let body = try await request.collectBytes(limit: hub.manifest.server.maxBodyBytes)
        try channel.checkOrigin(request.headers[.origin])
        let submission = try ChatSubmission.parse(body, maxTextLength: channel.maxTextLength)
        let receipt = try await ingest.submit(submission, channel: channel)
        return try JSONResponse.make(receipt, status: receipt.created ? .created : .ok, headers: corsHeaders(request, channel: channel))
    }

    /// `GET /chat/{channel}/messages?visitor=&after=`: the visitor's conversation in order.
    func history(_ request: Request, context: HubRequestContext) async throws -> Response {
        let channel = try ingest.channel(try context.parameters.require("channel"))
        try channel.checkOrigin(request.headers[.origin])
        guard let token = request.uri.queryParameters["visitor"].map(String.init), !token.isEmpty else {
            throw HubError.badRequest("missing_parameter", "'visitor' is required")
        }
        let visitor = try await ingest.visitor(token: token, channel: channel)
        let after = try request.integerQuery("after")
        let conversation = try await hub.conversations.conversation(channelID: channel.channelID, threadKey: visitor.id)
        var messages: [MessageView] = []
        if let conversation {
            messages = try await hub.conversations.messages(conversationID: conversation.id, after: after, limit: 500)
            if let last = messages.last {
                try await hub.conversations.markDelivered(conversationID: conversation.id, through: last.id)
            }
        }
        return try JSONResponse.make(
            ChatHistory(visitor: visitor.token, conversation: conversation?.id, messages: messages),
            headers: corsHeaders(request, channel: channel))
    }

    private func corsHeaders(_ request: Request, channel: WebChatAdapter) -> HTTPFields {
        guard let origin = request.headers[.origin] else { return [:] }
        return [.accessControlAllowOrigin: origin, .vary: "Origin"]
    }
}

/// A visitor's conversation as the chat endpoints return it.
struct ChatHistory: Codable, Sendable {
    var visitor: String
    var conversation: ConversationID?
    var messages: [MessageView]
}
