import Foundation
import HubCore
import HubStorage
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket

/// The web chat socket at `/chat/{channel}?visitor=TOKEN&after=ID`.
///
/// Frames are JSON. The server sends `welcome`, then `history` for a returning
/// visitor, `ack` for each message the visitor sends, `message` for every new
/// message of the conversation, and `error` before closing on a bad frame. The
/// visitor sends `{"type":"message","id":…,"text":…,"name"?,"email"?}` or `{"type":"ping"}`.
struct ChatSocketHandler {
    let ingest: ChatIngest
    let maxFrameBytes: Int
    /// The `/chat` rate limit, shared with the HTTP routes: a message over it is refused with an
    /// `error` frame (`rate_limited`) and the socket stays open.
    let limiter: RateLimiter

    func register(on router: Router<HubRequestContext>) {
        router.ws("chat/{channel}") { request, context in
            guard let channelID = context.parameters.get("channel"), let channel = try? ingest.channel(channelID) else {
                return .dontUpgrade
            }
            if (try? channel.checkOrigin(request.headers[.origin])) == nil { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            try await session(inbound: inbound, outbound: outbound, context: context)
        }
    }

    private func session(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: WebSocketRouterContext<HubRequestContext>
    ) async throws {
        guard let channelID = context.requestContext.parameters.get("channel") else { return }
        let channel = try ingest.channel(channelID)
        let query = context.request.uri.queryParameters
        var visitor: WebVisitor?
        if let token = query["visitor"].map(String.init), !token.isEmpty {
            do {
                visitor = try await ingest.visitor(token: token, channel: channel)
            } catch let error as HubError {
                try await fail(outbound, error)
                return
            }
        }
        let after = query["after"].flatMap { Int64(String($0)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var session: UUID?
            if let visitor {
                try await welcome(outbound, visitor: visitor, channel: channel, after: after)
                session = await forwardLiveMessages(to: outbound, visitor: visitor, channelID: channelID, group: &group)
            } else {
                try await send(outbound, ChatSocketFrame.Welcome(visitor: nil, conversation: nil))
            }
            let key = RateLimitMiddleware.chatKey(address: context.requestContext.sourceIP, channel: channelID)
            var messages = inbound.messages(maxSize: maxFrameBytes).makeAsyncIterator()
            while let frame = try await messages.next() {
                guard case .text(let text) = frame else {
                    try await fail(outbound, HubError.badRequest("invalid_event", "frames must be JSON text"))
                    break
                }
                do {
                    switch try await handle(text, channel: channel, visitor: visitor, limitKey: key) {
                    case .pong:
                        try await send(outbound, ChatSocketFrame.Pong())
                    case .limited(let clientID, let wait):
                        try await send(
                            outbound,
                            ChatSocketFrame.Failure(
                                error: "rate_limited", message: "too many messages: try again in \(wait) s", id: clientID))
                    case .stored(let clientID, let receipt):
                        try await send(outbound, ChatSocketFrame.Ack(id: clientID, receipt: receipt))
                        if visitor == nil {
                            let known = try await ingest.visitor(token: receipt.visitor, channel: channel)
                            visitor = known
                            session = await forwardLiveMessages(to: outbound, visitor: known, channelID: channelID, group: &group)
                        }
                    }
                } catch let error as HubError {
                    try await fail(outbound, error)
                    break
                }
            }
            if let session, let visitor {
                await ingest.live.close(session, channelID: channelID, threadKey: visitor.id)
            }
            group.cancelAll()
        }
    }

    /// Subscribes the socket to the visitor's conversation: every new message is pushed to it.
    private func forwardLiveMessages(
        to outbound: WebSocketOutboundWriter, visitor: WebVisitor, channelID: ChannelID, group: inout ThrowingTaskGroup<Void, any Error>
    ) async -> UUID {
        let (id, stream) = await ingest.live.open(channelID: channelID, threadKey: visitor.id)
        group.addTask {
            for await message in stream {
                try await send(outbound, ChatSocketFrame.Pushed(message: message))
            }
        }
        return id
    }

    enum FrameReply {
        case pong
        case stored(clientID: String?, ChatReceipt)
        /// Over the rate limit: not stored; the visitor may send it again after `wait` seconds.
        case limited(clientID: String?, wait: Int)
    }

    /// Handles one frame: a ping, or a message to store.
    private func handle(_ text: String, channel: WebChatAdapter, visitor: WebVisitor?, limitKey: String) async throws -> FrameReply {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw HubError.badRequest("invalid_event", "the frame is not a JSON object")
        }
        switch object["type"] as? String {
        case "ping":
            return .pong
        case "message":
            var submission = try ChatSubmission.parse(object, maxTextLength: channel.maxTextLength)
            if let wait = await limiter.take(limitKey) { return .limited(clientID: submission.clientID, wait: wait) }
            submission.visitorToken = visitor?.token
            return .stored(clientID: submission.clientID, try await ingest.submit(submission, channel: channel))
        default:
            throw HubError.badRequest("invalid_event", "'type' must be 'message' or 'ping'")
        }
    }

    private func welcome(_ outbound: WebSocketOutboundWriter, visitor: WebVisitor, channel: WebChatAdapter, after: MessageID?) async throws
    {
        let conversation = try await ingest.conversations.conversation(channelID: channel.channelID, threadKey: visitor.id)
        try await send(outbound, ChatSocketFrame.Welcome(visitor: visitor.token, conversation: conversation?.id))
        guard let conversation else { return }
        let history = try await ingest.conversations.messages(conversationID: conversation.id, after: after, limit: 500)
        try await send(outbound, ChatSocketFrame.History(messages: history))
        if let last = history.last {
            try await ingest.conversations.markDelivered(conversationID: conversation.id, through: last.id)
        }
    }

    private func fail(_ outbound: WebSocketOutboundWriter, _ error: HubError) async throws {
        try await send(outbound, ChatSocketFrame.Failure(error: error.code, message: error.message))
        let code: WebSocketErrorCode = error.kind == .unauthorized ? .policyViolation : .unacceptableData
        try await outbound.close(code, reason: error.code)
    }
}

func send<T: Encodable>(_ outbound: WebSocketOutboundWriter, _ frame: T) async throws {
    try await outbound.write(.text(String(decoding: try APIJSON.encoder.encode(frame), as: UTF8.self)))
}

/// The frames the server sends on a chat socket.
enum ChatSocketFrame {
    struct Welcome: Encodable {
        let type = "welcome"
        var visitor: String?
        var conversation: ConversationID?
    }

    struct History: Encodable {
        let type = "history"
        var messages: [MessageView]
    }

    struct Pushed: Encodable {
        let type = "message"
        var message: MessageView
    }

    struct Ack: Encodable {
        let type = "ack"
        var id: String?
        var receipt: ChatReceipt

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encode(receipt.visitor, forKey: .visitor)
            try container.encode(receipt.customer, forKey: .customer)
            try container.encode(receipt.conversation, forKey: .conversation)
            try container.encode(receipt.message, forKey: .message)
            try container.encode(!receipt.created, forKey: .duplicate)
        }

        enum CodingKeys: String, CodingKey {
            case type, id, visitor, customer, conversation, message, duplicate
        }
    }

    struct Pong: Encodable {
        let type = "pong"
    }

    struct Failure: Encodable {
        let type = "error"
        var error: String
        var message: String
        /// The client's id of the message refused, when one was refused.
        var id: String?
    }
}
