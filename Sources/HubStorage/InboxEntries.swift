package import Foundation
package import HubCore

/// What applying a batch did, and the next batch it claimed.
package struct AppliedBatch: Sendable {
    package var outcomes: [Int64: EntryOutcome]
    package var next: [PendingEntry]
}

/// What storing a delivery did.
package enum StoreOutcome: Sendable, Hashable {
    /// A new entry, durable and queued.
    case stored(inboxID: Int64)
    /// The dedupe key was taken already, by this entry.
    case duplicate(inboxID: Int64)

    package var inboxID: Int64 {
        switch self {
        case .stored(let id), .duplicate(let id): id
        }
    }
}

/// An entry claimed for processing.
package struct PendingEntry: Sendable {
    package var id: Int64
    package var dedupeKey: String
    package var raw: RawInbound
    /// Attempts including this one.
    package var attempt: Int
}

/// An entry with what decoding it gave: the events, or why it cannot be read.
package struct DecodedEntry: Sendable {
    package var id: Int64
    package var channelID: ChannelID
    package var attempt: Int
    package var events: Result<[InboundEvent], DecodeFailure>

    package init(id: Int64, channelID: ChannelID, attempt: Int, events: Result<[InboundEvent], DecodeFailure>) {
        self.id = id
        self.channelID = channelID
        self.attempt = attempt
        self.events = events
    }
}

/// Why a stored payload could not be decoded; such an entry is failed at once, since the
/// same bytes would fail the same way again.
package struct DecodeFailure: Error, Sendable, Hashable {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }
}

/// What processing one entry did.
package enum EntryOutcome: Sendable {
    case processed(IngestResult, messages: [MessageView])
    /// Not applied; `retryAt` is when it is tried again, `nil` when it is failed for good.
    case failed(reason: String, retryAt: Date?)
}

/// Where an entry is, for a caller waiting on its processing.
package enum InboxEntryState: Sendable {
    case pending
    case processed(IngestResult)
    case failed(String)
}

/// What ``InboxStore/recoverInterrupted(now:)`` found.
package struct InboxRecovery: Sendable, Hashable {
    package var requeued = 0
    package var failed = 0

    package init(requeued: Int = 0, failed: Int = 0) {
        self.requeued = requeued
        self.failed = failed
    }
}

/// An inbox entry as the API lists it (the payload itself is left out).
package struct InboxEntryView: Sendable, Hashable, Codable {
    package var id: Int64
    package var channel: ChannelID
    package var dedupeKey: String
    package var topic: String?
    package var contentType: String?
    package var bytes: Int
    package var state: String
    package var attempts: Int
    package var lastError: String?
    package var receivedAt: Date
    package var processedAt: Date?
    package var nextAttemptAt: Date?

    private enum CodingKeys: String, CodingKey {
        case id, channel, topic, bytes, state, attempts
        case dedupeKey = "dedupe_key"
        case contentType = "content_type"
        case lastError = "last_error"
        case receivedAt = "received_at"
        case processedAt = "processed_at"
        case nextAttemptAt = "next_attempt_at"
    }
}

/// How often a failing entry is tried, and how long it waits between tries.
package struct InboxRetryPolicy: Sendable, Hashable {
    package var maxAttempts: Int
    package var backoff: Backoff

    package init(maxAttempts: Int = 5, backoff: Backoff = Backoff(initial: .seconds(1), maximum: .seconds(300))) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
    }
}

extension InboxStore {
    /// Applies decoded entries in one transaction, claiming nothing after them.
    package func apply(_ entries: [DecodedEntry], now: Date) async throws -> [Int64: EntryOutcome] {
        try await apply(entries, thenClaim: 0, busyLimit: 0, channels: nil, now: now).outcomes
    }

    /// Stores one payload and, when it is new, decodes and applies it at once, the way the
    /// processing stage does (decoding outside the writer). For tools and tests that run
    /// without the stage.
    package func ingest(_ envelope: InboxEnvelope, decode: (RawInbound) throws -> [InboundEvent]) async throws -> IngestOutcome {
        switch try await store(envelope) {
        case .duplicate(let id):
            if case .processed(let result) = try await state(inboxID: id) { return .duplicate(result) }
            return .duplicate(nil)
        case .stored(let id):
            let raw = RawInbound(
                channelID: envelope.channelID, body: envelope.payload, contentType: envelope.contentType, topic: envelope.topic,
                receivedAt: envelope.receivedAt)
            let events: Result<[InboundEvent], DecodeFailure>
            do {
                events = .success(try decode(raw))
            } catch {
                events = .failure(DecodeFailure(String(describing: error)))
            }
            let outcomes = try await apply([DecodedEntry(id: id, channelID: envelope.channelID, attempt: 1, events: events)], now: Date())
            switch outcomes[id] {
            case .processed(let result, let messages)?: return .accepted(result, messages: messages)
            case .failed(let reason, _)?: return .storedUnprocessed(inboxID: id, error: reason)
            case nil: return .storedUnprocessed(inboxID: id, error: "not processed")
            }
        }
    }
}

/// The outcome of ``InboxStore/ingest(_:decode:)``.
package enum IngestOutcome: Sendable {
    /// New, stored and processed; `messages` are the messages it created.
    case accepted(IngestResult, messages: [MessageView])
    /// Seen before; nothing new was stored. The result is the first delivery's, when that one was processed.
    case duplicate(IngestResult?)
    /// Stored durably but processing failed.
    case storedUnprocessed(inboxID: Int64, error: String)
}

/// Turns a stored raw payload into events, for ``InboxStore/ingest(_:decode:)``.
package typealias InboundDecoder = @Sendable (RawInbound) throws -> [InboundEvent]
