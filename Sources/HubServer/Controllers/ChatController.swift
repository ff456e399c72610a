import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/chat/{channel}`: the web chat's HTTP endpoints. The socket lives in ``ChatSocketHandler``.
struct ChatController: Sendable {
    let ingest: ChatIngest
    let maxBodyBytes: Int

    /// `POST /chat/{channel}/messages`: 201 for a new message, 200 for a retry of a known one.
    func post(_ request: Request, context: HubRequestContext) async throws -> Answer<ChatReceipt> {
        let channel = try ingest.channel(try context.parameters.text("channel"))
        var request = request
        let body = try await request.collectBytes(limit: maxBodyBytes)
        try channel.checkOrigin(request.headers[.origin])
        let submission = try ChatSubmission.parse(body, maxTextLength: channel.maxTextLength)
        let receipt = try await ingest.submit(submission, channel: channel)
        return Answer(receipt, status: receipt.created ? .created : .ok, headers: corsHeaders(request))
    }

    /// `GET /chat/{channel}/messages?visitor=&after=`: the visitor's conversation in order.
    func history(_ request: Request, context: HubRequestContext) async throws -> Answer<ChatHistory> {
        let channel = try ingest.channel(try context.parameters.text("channel"))
        try channel.checkOrigin(request.headers[.origin])
        guard let token = request.filledQuery("visitor") else {
            throw HubError.badRequest("missing_parameter", "'visitor' is required")
        }
        let visitor = try await ingest.visitor(token: token, channel: channel)
        let after = try request.integerQuery("after")
        let conversation = try await ingest.conversations.conversation(channelID: channel.channelID, threadKey: visitor.id)
        var messages: [MessageView] = []
        if let conversation {
            messages = try await ingest.conversations.messages(conversationID: conversation.id, after: after, limit: 500)
            if let last = messages.last {
                try await ingest.conversations.markDelivered(conversationID: conversation.id, through: last.id)
            }
        }
        return Answer(
            ChatHistory(visitor: visitor.token, conversation: conversation?.id, messages: messages), headers: corsHeaders(request))
    }

    /// `GET /chat/{channel}` without `Upgrade: websocket`: the socket cannot open, and says why.
    func socketWithoutUpgrade(_ request: Request, context: HubRequestContext) throws -> Response {
        let channel = try ingest.channel(try context.parameters.text("channel"))
        try channel.checkOrigin(request.headers[.origin])
        throw HubError(.badRequest, code: "upgrade_required", message: "connect with a WebSocket client (Upgrade: websocket)")
    }

    private func corsHeaders(_ request: Request) -> HTTPFields {
        guard let origin = request.headers[.origin] else { return [:] }
        return [.accessControlAllowOrigin: origin, .vary: "Origin"]
    }
}

/// A visitor's conversation as the chat endpoints return it.
struct ChatHistory: ResponseEncodable, Codable, Sendable {
    var visitor: String
    var conversation: ConversationID?
    var messages: [MessageView]
}
