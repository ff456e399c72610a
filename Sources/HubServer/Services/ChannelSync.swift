package import Foundation
package import HubCore
import HubStorage
import Logging

/// What one sync pass did.
package struct SyncSummary: Sendable, Hashable {
    package var pages = 0
    package var items = 0
    package var created = 0
    package var updated = 0
    /// Items whose version the hub already had (pulled again, or older than what a webhook brought).
    package var unchanged = 0
    /// Items stored but not processed (replayed later), and pages given up on.
    package var errors = 0
    /// Times the provider asked the hub to slow down (`429`).
    package var throttled = 0

    package init() {}
}

/// Pulls a syncing channel's items page by page into the inbox, the same pipeline as
/// its webhooks. The cursor is committed after each page's items are durable, so a pass
/// that fails resumes at the first page it had not finished: items already stored come
/// back as duplicates, none is skipped.
package struct ChannelSync: Sendable {
    package let adapter: any SyncingAdapter
    let pipeline: InboxPipeline
    let state: SyncStateStore
    let logger: Logger
    /// Attempts per page before the pass gives up (throttling waits count too).
    let maxAttempts: Int

    init(adapter: any SyncingAdapter, pipeline: InboxPipeline, state: SyncStateStore, logger: Logger, maxAttempts: Int = 10) {
        self.adapter = adapter
        self.pipeline = pipeline
        self.state = state
        self.logger = logger
        self.maxAttempts = maxAttempts
    }

    /// Runs one pass: resumes an unfinished one, or starts from the watermark; `since`
    /// starts a backfill from that date instead.
    package func runPass(since: Date? = nil, progress: @Sendable (SyncSummary) -> Void = { _ in }) async throws -> SyncSummary {
        let channelID = adapter.channelID
        var cursor: SyncCursor
        if let since {
            cursor = SyncCursor(watermark: since)
        } else {
            cursor = try await state.cursor(channelID: channelID)
        }
        try await state.passStarted(channelID: channelID, now: Date())
        var summary = SyncSummary()
        while true {
            let page = try await fetch(cursor, summary: &summary)
            // A page's items are offered together, so the group-commit writer stores them in a
            // few transactions instead of one fsync each; the cursor moves only after all are durable.
            // They are processed in the stage's batches; the summary waits for their outcome.
            let outcomes = try await withThrowingTaskGroup(of: (StoreOutcome, EntryOutcome?).self) { group in
                for item in page.items {
                    let envelope = InboxEnvelope(pulled: item, channelID: channelID)
                    group.addTask { [pipeline] in try await pipeline.storeAndWait(envelope, timeout: .seconds(120)) }
                }
                return try await group.reduce(into: [(StoreOutcome, EntryOutcome?)]()) { $0.append($1) }
            }
            for (stored, outcome) in outcomes {
                switch (stored, outcome) {
                case (.duplicate, _):
                    summary.unchanged += 1
                case (.stored, .processed(let result, _)?):
                    summary.created += result.orders.created
                    summary.updated += result.orders.updated
                    summary.unchanged += result.orders.unchanged
                case (.stored(let inboxID), .failed(let error, _)?):
                    summary.errors += 1
                    logger.error(
                        "pulled item stored but not processed",
                        metadata: ["channel": .string(channelID), "inbox": "\(inboxID)", "error": .string(LogRedaction.redact(error))])
                case (.stored(let inboxID), nil):
                    summary.errors += 1
                    logger.warning("pulled item stored, still waiting for processing", metadata: ["inbox": "\(inboxID)"])
                }
                summary.items += 1
            }
            summary.pages += 1
            let highWater = [cursor.passHighWater, page.newest].compactMap { $0 }.max()
            let position = page.position ?? cursor.position
            if let next = page.nextPageURL {
                cursor = SyncCursor(watermark: cursor.watermark, pageURL: next, passHighWater: highWater, position: position)
                try await state.commit(cursor, channelID: channelID, now: Date())
                progress(summary)
                if let pause = page.pauseBeforeNext { try await Task.sleep(for: pause) }
            } else {
                cursor = SyncCursor(watermark: highWater ?? cursor.watermark, position: position)
                try await state.commit(cursor, channelID: channelID, now: Date())
                try await state.passSucceeded(channelID: channelID, now: Date())
                progress(summary)
                return summary
            }
        }
    }

    /// Fetches a page, waiting out `429`s for as long as the provider asks and backing
    /// off on transient errors; a permanent error or too many attempts ends the pass.
    private func fetch(_ cursor: SyncCursor, summary: inout SyncSummary) async throws -> SyncPage {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await adapter.fetchPage(cursor)
            } catch {
                if error.retryAfter != nil { summary.throttled += 1 }
                try await state.recordError(LogRedaction.redact(error.message), channelID: adapter.channelID, now: Date())
                guard error.transient, attempt < maxAttempts else {
                    summary.errors += 1
                    throw error
                }
                var generator = SystemRandomNumberGenerator()
                let backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30)).delay(afterAttempt: attempt, using: &generator)
                let wait = max(error.retryAfter ?? .zero, backoff)
                logger.warning(
                    "sync page failed; retrying",
                    metadata: [
                        "channel": .string(adapter.channelID), "attempt": "\(attempt)", "wait_ms": "\(wait.components.seconds * 1000)",
                        "error": .string(LogRedaction.redact(error.message)),
                    ])
                try await Task.sleep(for: wait)
            }
        }
    }
}
