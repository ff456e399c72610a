import Foundation
import HubCore

/// A reply stored with its outbox entry.
public struct QueuedReply: Sendable {
    public var message: MessageView
    public var outboxID: OutboxID
    public var customerID: CustomerID
}

/// An outbox entry claimed for one delivery attempt.
public struct OutboxJob: Sendable {
    public var outboxID: OutboxID
    /// Attempts so far, including this one.
    public var attempt: Int
    public var message: MessageView
    public var threadKey: String
    public var idempotencyKey: String
    /// For mail conversations: who to answer and under which thread.
    public var mailContext: MailReplyContext?
}
