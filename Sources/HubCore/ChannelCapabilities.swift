/// What a channel can carry, declared by its adapter kind.
package struct ChannelCapabilities: Sendable, Hashable {
    /// Part kinds the channel renders natively; `.text` is always implied.
    package var partKinds: Set<MessagePartKind>
    /// The longest text one message may carry, in characters; `nil` when unlimited.
    package var maxTextLength: Int?
    /// How long after the customer's last inbound message, and how often, the hub may
    /// still write to them (WeChat: 5 within 48 hours); `nil` when the channel has no such window.
    package var replyWindow: ReplyWindow?
    /// Whether customers can opt out (SMS `STOP`), after which nothing is sent to them.
    package var honoursOptOut: Bool
    /// Whether the channel keeps separate threads per customer (email) or one stream (chat).
    package var threaded: Bool

    package init(
        partKinds: Set<MessagePartKind>,
        maxTextLength: Int? = nil,
        replyWindow: ReplyWindow? = nil,
        honoursOptOut: Bool = false,
        threaded: Bool = false
    ) {
        self.partKinds = partKinds.union([.text])
        self.maxTextLength = maxTextLength
        self.replyWindow = replyWindow
        self.honoursOptOut = honoursOptOut
        self.threaded = threaded
    }

    /// Rewrites `parts` so that every part is one the channel renders: a part it
    /// cannot render becomes text (a card its title, text and link), and adjacent
    /// text parts are joined so that the channel sends one readable message.
    package func degrade(_ parts: [MessagePart]) -> [MessagePart] {
        var result: [MessagePart] = []
        for part in parts {
            let rendered = partKinds.contains(part.kind) ? part : .text(part.plainText)
            if case .text(let text) = rendered, case .text(let previous)? = result.last {
                result[result.count - 1] = .text(previous + "\n\n" + text)
            } else {
                result.append(rendered)
            }
        }
        return result
    }
}
