package import struct Foundation.Date

/// What an agent was writing in a conversation's composer.
package struct DraftView: Sendable, Hashable, Codable {
    package var conversation: ConversationID
    package var text: String
    /// A private note rather than a reply.
    package var note: Bool
    /// The channel picked in the composer, when not the conversation's.
    package var channel: ChannelID?
    package var updatedAt: Date

    package init(conversation: ConversationID, text: String, note: Bool, channel: ChannelID?, updatedAt: Date) {
        self.conversation = conversation
        self.text = text
        self.note = note
        self.channel = channel
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case conversation, text, note, channel
        case updatedAt = "updated_at"
    }
}
