package import Foundation
import GRDB
package import HubCore

/// The hub's state as `/metrics` samples it at each scrape: queues and lags read from their
/// partial indexes, so a scrape costs the same with 10 M processed rows as with none.
package struct OperationalGauges: Sendable, Hashable {
    /// Inbox entries acknowledged but not yet applied (pending or being processed).
    package var inboxBacklog = 0
    /// How long the oldest of them has waited, in seconds (0 when none waits).
    package var inboxLagSeconds = 0.0
    package var inboxFailed = 0
    package var outboxPending = 0
    /// Pending sends that failed at least once and wait for their next attempt.
    package var outboxRetrying = 0
    package var outboxDeadLetters = 0
    /// Conversations waiting in a queue for an agent.
    package var conversationsQueued = 0
    /// Seconds since each syncing channel's last successful pass.
    package var syncLagSeconds: [ChannelID: Double] = [:]
}

/// Reads ``OperationalGauges``.
package struct OperationsStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// The inbox alone: what the overload monitor samples every second.
    package func inbox(now: Date) async throws -> OperationalGauges {
        try await database.writer.read { db in
            var gauges = OperationalGauges()
            try Self.readInbox(into: &gauges, now: now, in: db)
            return gauges
        }
    }

    package func gauges(now: Date) async throws -> OperationalGauges {
        try await database.writer.read { db in
            var gauges = OperationalGauges()
            try Self.readInbox(into: &gauges, now: now, in: db)
            for row in try Row.fetchAll(
                db, sql: "SELECT state, attempts > 0, COUNT(*) FROM outbox WHERE state IN ('pending', 'sending', 'failed') GROUP BY 1, 2")
            {
                let state: String = row[0]
                let retried: Bool = row[1]
                let count: Int = row[2]
                switch state {
                case "failed": gauges.outboxDeadLetters += count
                default:
                    gauges.outboxPending += count
                    if retried { gauges.outboxRetrying += count }
                }
            }
            gauges.conversationsQueued = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conversation WHERE status = 'queued'") ?? 0
            for row in try Row.fetchAll(db, sql: "SELECT channel_id, last_success_at FROM sync_state") {
                guard let success = Date.fromDatabaseValue(row[1]) else { continue }
                gauges.syncLagSeconds[row[0]] = max(0, now.timeIntervalSince(success))
            }
            return gauges
        }
    }

    private static func readInbox(into gauges: inout OperationalGauges, now: Date, in db: Database) throws {
        for row in try Row.fetchAll(
            db, sql: "SELECT state, COUNT(*), MIN(received_at) FROM inbox WHERE state <> 'processed' GROUP BY state")
        {
            let state: String = row[0]
            let count: Int = row[1]
            if state == "failed" {
                gauges.inboxFailed = count
                continue
            }
            gauges.inboxBacklog += count
            if let oldest = Date.fromDatabaseValue(row[2]) {
                gauges.inboxLagSeconds = max(gauges.inboxLagSeconds, now.timeIntervalSince(oldest))
            }
        }
    }
}
