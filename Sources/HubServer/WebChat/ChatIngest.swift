import Foundation
import HubCore
import HubStorage
import Hummingbird
import Logging

/// What the chat endpoints answer to a visitor's message.
struct ChatReceipt: ResponseEncodable, Sendable {
    var visitor: String
    var customer: CustomerID
    var conversation: ConversationID
    var message: MessageID
    /// False when the message had been received before (a retry).
    var created: Bool

    private enum CodingKeys: String, CodingKey {
        case visitor, customer, conversation, message
    }
}

/// The one path by which a visitor's message enters the hub, for HTTP and sockets alike.
struct ChatIngest: Sendable {
    let channels: ChatChannels
    let conversations: ConversationStore
    let pipeline: InboxPipeline
    let live: LiveSessions
    let logger: Logger

    /// The web chat adapter of `channelID`; `404` for unknown and non-chat channels.
    func channel(_ channelID: ChannelID) throws(HubError) -> WebChatAdapter {
        try channels.channel(channelID)
    }

    /// The visitor a token names on the channel; `401` when the token is unknown.
    func visitor(token: String, channel: WebChatAdapter) async throws -> WebVisitor {
        guard let visitor = try await conversations.visitor(token: token, channelID: channel.channelID) else {
            throw HubError.unauthorized("invalid_visitor", "the visitor token is not known on this channel; start without one")
        }
        return visitor
    }

    /// Client ids at least this long are taken as random (the widget sends UUIDs), so a
    /// retry without a token may be matched to the visitor its first send made. Shorter ids
    /// could be anyone's, and matching them would hand one visitor another's token.
    static let matchableClientIDLength = 16

    /// Stores the message durably (once, however often it is retried) and waits for its
    /// processing, to answer with the ids it made.
    func submit(_ submission: ChatSubmission, channel: WebChatAdapter, receivedAt: Date = Date()) async throws -> ChatReceipt {
        var visitor = try await submission.visitorToken.asyncMap { try await self.visitor(token: $0, channel: channel) }
        if visitor == nil, let clientID = submission.clientID, clientID.count >= Self.matchableClientIDLength {
            // A first message resent before its answer (and its token) arrived.
            visitor = try await conversations.visitor(firstClientID: clientID, channelID: channel.channelID)
        }
        var newVisitor: WebVisitor?
        if visitor == nil {
            let created = WebVisitor(id: "v\(Token.random(bytes: 9))", channelID: channel.channelID, token: Token.random(bytes: 24))
            newVisitor = created
            visitor = created
        }
        guard let visitor else { preconditionFailure("visitor resolved above") }
        // Per visitor: the first send and a resend with the token it got share the key.
        let dedupeKey = submission.clientID.map { "v:\(visitor.id):\($0)" } ?? "auto:\(Token.random(bytes: 16))"
        let envelope = WebChatEnvelope(submission: submission, visitorID: visitor.id, receivedAt: receivedAt)
        let (stored, outcome) = try await pipeline.storeAndWait(
            InboxEnvelope(
                channelID: channel.channelID, dedupeKey: dedupeKey, contentType: "application/json", payload: try envelope.encoded(),
                receivedAt: receivedAt, newVisitor: newVisitor, firstClientID: newVisitor == nil ? nil : submission.clientID),
            timeout: .seconds(15))
        let inboxID = stored.inboxID
        switch outcome {
        case .processed(let result, let messages)?:
            if case .stored = stored {
                for message in messages {
                    _ = await live.deliver(message, channelID: channel.channelID, threadKey: visitor.id)
                }
            }
            guard let customerID = result.customerID, let conversationID = result.conversationID, let messageID = result.messageIDs.first
            else {
                throw HubError(.internalError, code: "not_processed", message: "the message was stored but produced no conversation")
            }
            var created = false
            if case .stored = stored { created = true }
            return ChatReceipt(
                visitor: visitor.token, customer: customerID, conversation: conversationID, message: messageID, created: created)
        case .failed(let reason, _)?:
            logger.error(
                "web chat message stored but not processed",
                metadata: ["channel": .string(channel.channelID), "inbox": "\(inboxID)", "error": .string(LogRedaction.redact(reason))])
            throw HubError(.internalError, code: "not_processed", message: "the message was stored and will be processed later")
        case nil:
            throw HubError(.internalError, code: "not_processed", message: "the message was stored and will be processed later")
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
