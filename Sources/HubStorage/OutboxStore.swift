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

/// Outbound messages: a row before a request, retried until sent or given up on.
public protocol OutboxStore: Sendable {
    /// Stores an outbound message, its timeline event and its outbox entry in one
    /// transaction; `nil` when the conversation does not exist. With the
    /// channel's `capabilities`, refuses (throws a `409` ``HubError``) a reply the channel would
    /// reject: outside its reply window, over its quota, or to an opted-out customer.
    func enqueueReply(
        conversationID: ConversationID, parts: [MessagePart], author: Author,
        capabilities: @escaping @Sendable (ChannelID) -> ChannelCapabilities?, now: Date
    ) async throws -> QueuedReply?
    /// Claims entries due at `now` for an attempt.
    func claimDue(now: Date, limit: Int) async throws -> [OutboxJob]
    /// Records a successful attempt; returns the message with its new status.
    func recordSent(_ job: OutboxJob, receipt: SendReceipt, now: Date) async throws -> MessageView
    /// Records a failed attempt: retried at `retryAt`, or dead-lettered when `nil`.
    func recordFailure(_ job: OutboxJob, error: String, retryAt: Date?, now: Date) async throws
    /// Puts entries a crash left mid-attempt back in the queue; returns how many.
    func requeueInterrupted() async throws -> Int
    /// Entries in `state` (`pending`, `sending`, `sent`, `failed`), newest first.
    func entries(state: String?, limit: Int) async throws -> [OutboxEntry]
    /// When the earliest pending entry is due.
    func nextAttemptDate() async throws -> Date?
}
