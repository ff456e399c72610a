import Foundation
package import HubCore

/// One web chat channel. Sending pushes to the visitor's open sockets; a visitor
/// who is away gets the message from the conversation history on return.
package struct WebChatAdapter: ChannelAdapter {
    package let channelID: ChannelID
    package let allowedOrigins: [String]
    package let maxTextLength: Int
    /// The widget's header text.
    package let title: String
    let live: any LiveDelivery

    package var capabilities: ChannelCapabilities {
        ChannelCapabilities(partKinds: [.text, .image, .file, .buttons, .quickReplies, .card], maxTextLength: maxTextLength)
    }

    /// Only pages on an allowed origin may post; requests without `Origin` (servers, curl) pass.
    package func verify(_ request: InboundRequest) throws(HubError) {
        try checkOrigin(request.headers["origin"])
    }

    /// Throws `403 origin_not_allowed` when a page on `origin` may not use the chat.
    package func checkOrigin(_ origin: String?) throws(HubError) {
        guard let origin, !isAllowed(origin: origin) else { return }
        throw HubError(.forbidden, code: "origin_not_allowed", message: "this origin may not use the chat channel")
    }

    /// Whether a page served from `origin` may open the chat.
    package func isAllowed(origin: String) -> Bool {
        allowedOrigins.contains("*") || allowedOrigins.contains { $0.caseInsensitiveCompare(origin) == .orderedSame }
    }

    package func dedupeKey(for request: InboundRequest) throws(HubError) -> String? {
        // Web chat keys are scoped to the visitor by the chat endpoint, which knows the visitor.
        nil
    }

    package func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        let envelope: WebChatEnvelope
        do {
            envelope = try WebChatEnvelope.decode(raw.body)
        } catch {
            throw HubError.badRequest("malformed_envelope", "stored web chat payload is not readable: \(error)")
        }
        var identities = [IdentityHint(kind: .webVisitor, value: "\(channelID):\(envelope.visitor)", verified: true)]
        if let email = envelope.email {
            // Typed into a form, not proven: the identity graph may only propose a merge on it.
            identities.append(IdentityHint(kind: .email, value: email, verified: false))
        }
        return [
            .message(
                InboundMessage(
                    providerMessageID: envelope.id, threadKey: envelope.visitor, identities: identities, senderName: envelope.name,
                    parts: [.text(envelope.text)], sentAt: envelope.sentAt))
        ]
    }

    package func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        let view = MessageView(
            id: message.messageID, conversationID: message.conversationID, channelID: channelID, direction: .outbound,
            author: message.author, parts: message.parts, status: .sent, providerMessageID: nil, createdAt: message.createdAt)
        let reached = await live.deliver(view, channelID: channelID, threadKey: message.threadKey)
        // An absent visitor reads it from the history on return; it counts as sent until then.
        return SendReceipt(providerMessageID: nil, status: reached ? .delivered : .sent)
    }
}
