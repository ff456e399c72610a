import Foundation
import HubCore
import HubStorage
import WebChat

/// What the chat endpoints answer to a visitor's message.
struct ChatReceipt: Encodable, Sendable {
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
    let hub: Hub

    /// The web chat adapter of `channelID`; `404` for unknown and non-chat channels.
    func channel(_ channelID: ChannelID) throws(HubError) -> WebChatAdapter {
        guard let adapter = try hub.adapter(channelID) as? WebChatAdapter else {
            throw HubError.notFound("unknown_channel", "channel '\(channelID)' is not a web chat channel")
        }
        return adapter
    }

    /// The visitor a token names on the channel; `401` when the token is unknown.
    func visitor(token: String, channel: WebChatAdapter) async throws -> WebVisitor {
        guard let visitor = try await hub.conversations.visitor(token: token, channelID: channel.channelID) else {
            throw HubError.unauthorized("invalid_visitor", "the visitor token is not known on this channel; start without one")
        }
        return visitor
    }

    /// Stores the message durably (once, however often it is retried) and processes it.
    func submit(_ submission: ChatSubmission, channel: WebChatAdapter, receivedAt: Date = Date()) async throws -> ChatReceipt {
        var visitor = try await submission.visitorToken.asyncMap { try await self.visitor(token: $0, channel: channel) }
        var newVisitor: WebVisitor?
        let dedupeKey: String
        switch (submission.clientID, visitor) {
        case (let clientID?, let known?):
            dedupeKey = "v:\(known.id):\(clientID)"
        case (let clientID?, nil):
            // A first message retried before its answer arrived is a duplicate of this key,
            // answered as the first time; the visitor made below is then not stored.
            dedupeKey = "new:\(clientID)"
        case (nil, let known):
            dedupeKey = "auto:\(Token.random(bytes: 16))"
            visitor = known
        }
        if visitor == nil {
            let created = WebVisitor(id: "v\(Token.random(bytes: 9))", channelID: channel.channelID, token: Token.random(bytes: 24))
            newVisitor = created
            visitor = created
        }
        guard let visitor else { preconditionFailure("visitor resolved above") }
        let envelope = WebChatEnvelope(submission: submission, visitorID: visitor.id, receivedAt: receivedAt)
        let outcome = try await hub.inbox.ingest(
            InboxEnvelope(
                channelID: channel.channelID, dedupeKey: dedupeKey, contentType: "application/json", payload: try envelope.encoded(),
                receivedAt: receivedAt, newVisitor: newVisitor),
            decode: { raw in try channel.decode(raw) })
        switch outcome {
        case .accepted(let result, let messages):
            for message in messages {
                _ = await hub.live.deliver(message, channelID: channel.channelID, threadKey: visitor.id)
            }
            guard let customerID = result.customerID, let conversationID = result.conversationID, let messageID = result.messageIDs.first
            else {
                throw HubError(.internalError, code: "not_processed", message: "the message was stored but produced no conversation")
            }
            return ChatReceipt(
                visitor: visitor.token, customer: customerID, conversation: conversationID, message: messageID, created: true)
        case .duplicate(let result?):
            return try await receipt(for: result, channel: channel, created: false)
        case .duplicate(nil):
            throw HubError(.conflict, code: "not_processed", message: "this message was received before but could not be processed")
        case .storedUnprocessed(let inboxID, _):
            hub.logger.error(
                "web chat message stored but not processed", metadata: ["channel": .string(channel.channelID), "inbox": "\(inboxID)"])
            throw HubError(.internalError, code: "not_processed", message: "the message was stored and will be processed later")
        }
    }

    /// The answer to a retry: the first delivery's ids, with the token of the visitor it created.
    private func receipt(for result: IngestResult, channel: WebChatAdapter, created: Bool) async throws -> ChatReceipt {
        guard let conversationID = result.conversationID, let customerID = result.customerID, let messageID = result.messageIDs.first,
            let conversation = try await hub.conversations.conversation(id: conversationID),
            let visitor = try await hub.conversations.visitor(id: conversation.threadKey, channelID: channel.channelID)
        else {
            throw HubError(.internalError, code: "not_processed", message: "the earlier delivery of this message left no record")
        }
        return ChatReceipt(visitor: visitor.token, customer: customerID, conversation: conversationID, message: messageID, created: created)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
