import Foundation
import GRDB
import HubCore

/// ``InboxStore`` on SQLite, writing through the group-commit writer.
public struct SQLiteInboxStore: InboxStore {
    let database: HubDatabase
    let writer: GroupCommitWriter
    let policy: IdentityPolicy

    /// - Parameter policy: how senders are recognised across channels (the manifest's `identity:`).
    public init(database: HubDatabase, writer: GroupCommitWriter, policy: IdentityPolicy = IdentityPolicy(IdentitySettings())) {
        self.database = database
        self.writer = writer
        self.policy = policy
    }

    public func ingest(_ envelope: InboxEnvelope, decode: @escaping InboundDecoder) async throws -> IngestOutcome {
        try await writer.write { db in
            var entry = InboxRecord(
                channelId: envelope.channelID, dedupeKey: envelope.dedupeKey, contentType: envelope.contentType, topic: envelope.topic,
                payload: Data(envelope.payload), receivedAt: envelope.receivedAt, state: .pending, attempts: 0)
            // The unique (channel, dedupe key) index decides atomically which delivery is first.
            try db.cachedStatement(
                sql: """
                    INSERT INTO inbox (channel_id, dedupe_key, content_type, topic, payload, received_at, state, attempts)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', 0) ON CONFLICT (channel_id, dedupe_key) DO NOTHING
                    """
            ).execute(arguments: [entry.channelId, entry.dedupeKey, entry.contentType, entry.topic, entry.payload, entry.receivedAt])
            guard db.changesCount > 0 else {
                let existing = try InboxRecord.filter(
                    Column("channel_id") == envelope.channelID && Column("dedupe_key") == envelope.dedupeKey
                )
                .fetchOne(db)
                return .duplicate(try existing.flatMap(Self.decodeResult))
            }
            let inboxID = db.lastInsertedRowID
            entry.id = inboxID
            if let visitor = envelope.newVisitor {
                try WebVisitorRecord(id: visitor.id, channelId: visitor.channelID, token: visitor.token, createdAt: envelope.receivedAt)
                    .insert(db)
            }
            return try Self.process(entry, inboxID: inboxID, decode: decode, policy: policy, in: db)
        }
    }

    public func replayUnprocessed(decoder: @escaping @Sendable (ChannelID) -> InboundDecoder?, maxAttempts: Int) async throws -> Int {
        let pending = try await database.writer.read { db in
            try InboxRecord.filter(Column("state") != InboxRecord.State.processed.rawValue && Column("attempts") < maxAttempts)
                .order(Column("id")).fetchAll(db)
        }
        var processed = 0
        for entry in pending {
            guard let inboxID = entry.id, let decode = decoder(entry.channelId) else { continue }
            let outcome = try await writer.write { [policy] db in
                try Self.process(entry, inboxID: inboxID, decode: decode, policy: policy, in: db)
            }
            if case .accepted = outcome { processed += 1 }
        }
        return processed
    }

    /// Decodes and applies one entry in a savepoint; a failure is recorded on the
    /// entry instead of losing it.
    static func process(
        _ entry: InboxRecord, inboxID: Int64, decode: InboundDecoder, policy: IdentityPolicy, in db: Database
    ) throws -> IngestOutcome {
        let now = Date()
        do {
            var applied = InboundApplier.Applied()
            try db.inSavepoint {
                let raw = RawInbound(
                    channelID: entry.channelId, body: Array(entry.payload), contentType: entry.contentType, topic: entry.topic,
                    receivedAt: entry.receivedAt)
                applied = try InboundApplier.apply(try decode(raw), channelID: entry.channelId, policy: policy, now: now, in: db)
                return .commit
            }
            let result = IngestResult(
                inboxID: inboxID, customerID: applied.customerID, conversationID: applied.conversationID,
                messageIDs: applied.messages.map(\.id), orders: applied.orders)
            try db.cachedStatement(
                sql:
                    "UPDATE inbox SET state = 'processed', attempts = attempts + 1, result = ?, processed_at = ?, last_error = NULL WHERE id = ?"
            ).execute(arguments: [String(decoding: try JSONEncoder().encode(result), as: UTF8.self), now, inboxID])
            return .accepted(result, messages: applied.messages)
        } catch {
            let reason = String(describing: error)
            try db.execute(
                sql: "UPDATE inbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
                arguments: [reason, inboxID])
            return .storedUnprocessed(inboxID: inboxID, error: reason)
        }
    }

    static func decodeResult(_ entry: InboxRecord) throws -> IngestResult? {
        guard entry.state == .processed, let text = entry.result else { return nil }
        return try JSONDecoder().decode(IngestResult.self, from: Data(text.utf8))
    }
}
