/// Row identifier of a customer in the hub.
public typealias CustomerID = Int64
/// Row identifier of a conversation.
public typealias ConversationID = Int64
/// Row identifier of a stored message.
public typealias MessageID = Int64
/// Row identifier of an outbox entry.
public typealias OutboxID = Int64
/// A channel id from the manifest, `[a-z0-9-]+`.
public typealias ChannelID = String
