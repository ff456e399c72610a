/// Row identifier of a customer in the hub.
package typealias CustomerID = Int64
/// Row identifier of a conversation.
package typealias ConversationID = Int64
/// Row identifier of a stored message.
package typealias MessageID = Int64
/// Row identifier of an outbox entry.
package typealias OutboxID = Int64
/// A channel id from the manifest, `[a-z0-9-]+`.
package typealias ChannelID = String
