import Foundation
import HubCore

/// Conversations, their messages, and the web chat visitors that own some of them.
public protocol ConversationStore: Sendable {
    func conversation(id: ConversationID) async throws -> ConversationSummary?
    func conversation(channelID: ChannelID, threadKey: String) async throws -> ConversationSummary?
    /// Messages of a conversation in order, those after `after` when given.
    func messages(conversationID: ConversationID, after: MessageID?, limit: Int) async throws -> [MessageView]
    /// The visitor a token belongs to, on that channel.
    func visitor(token: String, channelID: ChannelID) async throws -> WebVisitor?
    func visitor(id: String, channelID: ChannelID) async throws -> WebVisitor?
    /// The visitor whose first message (sent without a token) had this client id.
    func visitor(firstClientID: String, channelID: ChannelID) async throws -> WebVisitor?
    /// Marks outbound messages up to `messageID` as delivered once the customer's session received them.
    func markDelivered(conversationID: ConversationID, through messageID: MessageID) async throws
}
