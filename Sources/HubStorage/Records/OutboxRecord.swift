import Foundation
import GRDB
import HubCore

/// A message waiting to be, or given up on being, delivered by its channel.
struct OutboxRecord: SnakeCaseRecord, Sendable, MutablePersistableRecord {
    static let databaseTableName = "outbox"

    /// The columns the query interface filters and orders on, as the table names them.
    enum Columns {
        static let id = Column("id")
        static let state = Column("state")
        static let nextAttemptAt = Column("next_attempt_at")
    }

    var id: Int64?
    var messageId: Int64
    var channelId: String
    var state: OutboxState
    var attempts: Int
    var nextAttemptAt: Date
    var lastError: String?
    var idempotencyKey: String
    /// Copied addresses of a mail reply, space-separated.
    var cc: String? = nil
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension DerivableRequest<OutboxRecord> {
    /// Pending entries whose next attempt is due at `now`, the longest-waiting first.
    func due(at now: Date) -> Self {
        filter(OutboxRecord.Columns.state == OutboxState.pending.rawValue && OutboxRecord.Columns.nextAttemptAt <= now)
            .order(OutboxRecord.Columns.nextAttemptAt, OutboxRecord.Columns.id)
    }

    /// Entries in `state`, or all of them.
    func inState(_ state: OutboxState?) -> Self {
        guard let state else { return self }
        return filter(OutboxRecord.Columns.state == state.rawValue)
    }
}
