import Foundation
package import HubCore

/// A reply stored with its outbox entry.
package struct QueuedReply: Sendable {
    package var message: MessageView
    package var outboxID: OutboxID
    package var customerID: CustomerID
}

/// An outbox entry claimed for one delivery attempt.
package struct OutboxJob: Sendable {
    package var outboxID: OutboxID
    /// Attempts so far, including this one.
    package var attempt: Int
    package var message: MessageView
    package var threadKey: String
    package var idempotencyKey: String
    /// For mail conversations: who to answer and under which thread.
    package var mailContext: MailReplyContext?
}
