package import Foundation
import GRDB
package import HubCore

/// The durable inbox: every verified inbound payload is stored here, once, before the
/// provider is acknowledged; the processing stage takes it from here in batches.
///
/// It stores through the group-commit writer, and applies a processing batch as one item
/// of it, so that storage never waits on a plug-in.
///
/// Its SQL, and the applier's, is written by hand with cached statements rather than the
/// record types and query interface the other stores use: this runs for every delivery,
/// inside the fsync-bound commit, where the generic path would encode each row through
/// Codable and build its statement anew. Change it with `Benchmarks/ingest.sh` at hand.
package struct InboxStore: Sendable {
    let database: HubDatabase
    let writer: GroupCommitWriter
    let policy: IdentityPolicy
    let retryPolicy: InboxRetryPolicy
    let workflow: WorkflowPolicy

    /// - Parameter policy: how senders are recognised across channels (the manifest's `identity:`).
    package init(
        database: HubDatabase, writer: GroupCommitWriter, policy: IdentityPolicy = IdentityPolicy(IdentitySettings()),
        retryPolicy: InboxRetryPolicy = InboxRetryPolicy(), workflow: WorkflowPolicy = WorkflowPolicy()
    ) {
        self.workflow = workflow
        self.database = database
        self.writer = writer
        self.policy = policy
        self.retryPolicy = retryPolicy
    }

    /// Stores the payload in the next group commit, or recognises a duplicate of its dedupe key.
    package func store(_ envelope: InboxEnvelope) async throws -> StoreOutcome {
        try await writer.write { db in
            // The unique (channel, dedupe key) index decides atomically which delivery is first.
            try db.cachedStatement(
                sql: """
                    INSERT INTO inbox (channel_id, dedupe_key, content_type, topic, payload, received_at, state, attempts)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', 0) ON CONFLICT (channel_id, dedupe_key) DO NOTHING
                    """
            ).execute(arguments: [
                envelope.channelID, envelope.dedupeKey, envelope.contentType, envelope.topic, Data(envelope.payload), envelope.receivedAt,
            ])
            guard db.changesCount > 0 else {
                let existing = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT id FROM inbox WHERE channel_id = ? AND dedupe_key = ?"),
                    arguments: [envelope.channelID, envelope.dedupeKey])
                guard let existing else { throw DatabaseError(message: "dedupe conflict without a row") }
                return .duplicate(inboxID: existing)
            }
            let inboxID = db.lastInsertedRowID
            if let visitor = envelope.newVisitor {
                try db.cachedStatement(
                    sql: "INSERT INTO web_visitor (id, channel_id, token, created_at, first_client_id) VALUES (?, ?, ?, ?, ?)"
                ).execute(arguments: [visitor.id, visitor.channelID, visitor.token, envelope.receivedAt, envelope.firstClientID])
            }
            return .stored(inboxID: inboxID)
        }
    }

    /// Takes up to `limit` pending entries in arrival order and counts an attempt on each
    /// (durably, before anyone decodes them); `channels` limits it to those channels.
    package func claim(limit: Int, channels: Set<ChannelID>?, now: Date) async throws -> [PendingEntry] {
        try await writer.write { [retryPolicy] db in
            try Self.claim(limit: limit, channels: channels, now: now, retryPolicy: retryPolicy, in: db)
        }
    }

    /// Takes pending entries in arrival order and counts an attempt on each, in the caller's transaction.
    static func claim(limit: Int, channels: Set<ChannelID>?, now: Date, retryPolicy: InboxRetryPolicy, in db: Database) throws
        -> [PendingEntry]
    {
        guard limit > 0 else { return [] }
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, channel_id, dedupe_key, content_type, topic, payload, received_at, attempts, isolated FROM inbox
                    WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                    ORDER BY id LIMIT ?
                    """), arguments: [StoredDate(now), limit])
        var claimed: [PendingEntry] = []
        let mark = try db.cachedStatement(sql: "UPDATE inbox SET state = 'processing', attempts = attempts + 1 WHERE id = ?")
        let giveUp = try db.cachedStatement(sql: "UPDATE inbox SET state = 'failed', last_error = ? WHERE id = ?")
        for row in rows {
            let id: Int64 = row["id"]
            let channelID: String = row["channel_id"]
            if let channels, !channels.contains(channelID) { continue }
            let attempts: Int = row["attempts"]
            if attempts >= retryPolicy.maxAttempts {
                try giveUp.execute(arguments: ["gave up after \(attempts) attempts", id])
                continue
            }
            // A row under suspicion of stopping the hub is tried on its own.
            let isolated: Bool = row["isolated"]
            if isolated && !claimed.isEmpty { break }
            try mark.execute(arguments: [id])
            claimed.append(
                PendingEntry(
                    id: id, dedupeKey: row["dedupe_key"],
                    raw: RawInbound(
                        channelID: channelID, body: Array(row["payload"] as Data), contentType: row["content_type"], topic: row["topic"],
                        receivedAt: row["received_at"]), attempt: attempts + 1))
            if isolated { break }
        }
        return claimed
    }

    /// Applies decoded entries in one transaction, each in its own savepoint (a failed entry is
    /// retried later or, out of attempts, marked failed), and claims the next batch in the same
    /// commit: up to `limit` entries, or `busyLimit` when other writes (acknowledgements) are
    /// waiting for the writer, so that a backlog does not hold up deliveries coming in.
    package func apply(_ entries: [DecodedEntry], thenClaim limit: Int, busyLimit: Int, channels: Set<ChannelID>?, now: Date) async throws
        -> AppliedBatch
    {
        try await writer.write { [policy, workflow, retryPolicy, writer] db in
            var outcomes: [Int64: EntryOutcome] = [:]
            for entry in entries {
                outcomes[entry.id] = try Self.apply(entry, policy: policy, workflow: workflow, retryPolicy: retryPolicy, now: now, in: db)
            }
            // The next batch's attempts are counted in the same commit, so that a batch costs one.
            let size = writer.queuedWrites > 0 ? min(limit, busyLimit) : limit
            let next = try Self.claim(limit: size, channels: channels, now: now, retryPolicy: retryPolicy, in: db)
            return AppliedBatch(outcomes: outcomes, next: next)
        }
    }

    /// Applies one entry in a savepoint; a failure is recorded on the entry instead of losing it.
    static func apply(
        _ entry: DecodedEntry, policy: IdentityPolicy, workflow: WorkflowPolicy = WorkflowPolicy(), retryPolicy: InboxRetryPolicy,
        now: Date, in db: Database
    ) throws -> EntryOutcome {
        let reason: String
        var retryAt: Date?
        switch entry.events {
        case .failure(let failure):
            reason = failure.reason
        case .success(let events):
            do {
                var applied = InboundApplier.Applied()
                try db.inSavepoint {
                    applied = try InboundApplier.apply(
                        events, channelID: entry.channelID, policy: policy, workflow: workflow, now: now, inboxID: entry.id, in: db)
                    return .commit
                }
                let result = IngestResult(
                    inboxID: entry.id, customerID: applied.customerID, conversationID: applied.conversationID,
                    messageIDs: applied.messages.map(\.id), orders: applied.orders)
                try db.cachedStatement(
                    sql: """
                        UPDATE inbox SET state = 'processed', result = ?, processed_at = ?, last_error = NULL, next_attempt_at = NULL,
                            isolated = 0
                        WHERE id = ?
                        """
                ).execute(arguments: [result.storedJSON, StoredDate(now), entry.id])
                return .processed(result, messages: applied.messages)
            } catch {
                reason = String(describing: error)
                if entry.attempt < retryPolicy.maxAttempts {
                    var generator = SystemRandomNumberGenerator()
                    let delay = retryPolicy.backoff.delay(afterAttempt: entry.attempt, using: &generator)
                    retryAt = now.addingTimeInterval(Double(delay.milliseconds) / 1000)
                }
            }
        }
        try db.cachedStatement(
            sql: "UPDATE inbox SET state = ?, last_error = ?, next_attempt_at = ?, isolated = 0 WHERE id = ?"
        ).execute(arguments: [retryAt == nil ? "failed" : "pending", String(reason.prefix(2000)), retryAt, entry.id])
        return .failed(reason: reason, retryAt: retryAt)
    }

    /// After a stop: entries that were being processed go back to the queue, to be tried
    /// alone; one that was already being tried alone stopped the hub and is marked failed.
    package func recoverInterrupted(now: Date) async throws -> InboxRecovery {
        try await writer.write { db in
            var recovery = InboxRecovery()
            try db.execute(
                sql: """
                    UPDATE inbox SET state = 'failed', isolated = 0,
                        last_error = 'the hub stopped while processing this entry on its own; it is not tried again automatically'
                    WHERE state = 'processing' AND isolated = 1
                    """)
            recovery.failed = db.changesCount
            try db.execute(sql: "UPDATE inbox SET state = 'pending', isolated = 1 WHERE state = 'processing'")
            recovery.requeued = db.changesCount
            return recovery
        }
    }

    /// Puts claimed entries back in the queue when their batch could not be applied at all
    /// (the database refused the transaction); their counted attempt stays.
    package func release(_ inboxIDs: [Int64]) async throws {
        try await writer.write { db in
            let statement = try db.cachedStatement(sql: "UPDATE inbox SET state = 'pending' WHERE id = ? AND state = 'processing'")
            for id in inboxIDs { try statement.execute(arguments: [id]) }
        }
    }

    /// Where an entry is.
    package func state(inboxID: Int64) async throws -> InboxEntryState? {
        try await database.writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT state, result, last_error FROM inbox WHERE id = ?"), arguments: [inboxID])
            else { return nil }
            switch InboxRecord.State(rawValue: row["state"]) {
            case .processed?:
                guard let text: String = row["result"] else { return .processed(IngestResult(inboxID: inboxID)) }
                return .processed(try JSONDecoder().decode(IngestResult.self, from: Data(text.utf8)))
            case .failed?:
                return .failed(row["last_error"] ?? "failed")
            default:
                return .pending
            }
        }
    }

    /// Entries newest first, optionally in one state, below `before`.
    package func entries(state: InboxRecord.State?, before: Int64?, limit: Int) async throws -> [InboxEntryView] {
        try await database.writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let state {
                conditions.append("state = ?")
                arguments += [state.rawValue]
            }
            if let before {
                conditions.append("id < ?")
                arguments += [before]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT id, channel_id, dedupe_key, topic, content_type, LENGTH(payload) AS bytes, state, attempts, last_error,
                        received_at, processed_at, next_attempt_at
                    FROM inbox \(filter) ORDER BY id DESC LIMIT ?
                    """, arguments: arguments
            ).map { row in
                InboxEntryView(
                    id: row["id"], channel: row["channel_id"], dedupeKey: row["dedupe_key"], topic: row["topic"],
                    contentType: row["content_type"], bytes: row["bytes"], state: row["state"], attempts: row["attempts"],
                    lastError: row["last_error"], receivedAt: row["received_at"], processedAt: row["processed_at"],
                    nextAttemptAt: row["next_attempt_at"])
            }
        }
    }

    /// Puts a failed entry back in the queue with fresh attempts: `false` when it is not failed,
    /// `nil` when there is no such entry.
    package func retry(inboxID: Int64, now: Date) async throws -> Bool? {
        try await writer.write { db in
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM inbox WHERE id = ?", arguments: [inboxID]) else { return nil }
            guard state == InboxRecord.State.failed.rawValue else { return false }
            try db.execute(
                sql: "UPDATE inbox SET state = 'pending', attempts = 0, next_attempt_at = NULL, isolated = 0 WHERE id = ?",
                arguments: [inboxID])
            return true
        }
    }

    /// How many entries are in each state.
    package func counts() async throws -> [String: Int] {
        try await database.writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM inbox GROUP BY state") {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}
