package import Foundation
import GRDB

/// Samples each online agent's load (open and pending conversations against their capacity) into
/// the hour facts as `agent_load`, so the agents report tells occupancy over a range and not only
/// now. A sample adds 1 to `count`, the open conversations × 1000 to `sum_ms` and the capacity ×
/// 1000 to `business_ms`: the integer columns every fact has, in thousandths.
package struct AgentLoadSampler: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// One sample of every online agent at `time`; returns how many agents it sampled.
    @discardableResult
    package func sample(at time: Date) async throws -> Int {
        try await database.writer.write { db in
            let hour = MetricFacts.hour(time)
            try db.execute(
                sql: """
                    INSERT INTO metric_hour (measure, hour, channel, team, agent, intent, queue, count, sum_ms, business_ms)
                    SELECT 'agent_load', ?, '', '', CAST(a.id AS TEXT), '', '', 1,
                        1000 * (SELECT COUNT(*) FROM conversation c WHERE c.assignee_id = a.id AND c.status IN ('open', 'pending')),
                        1000 * (a.capacity_chat + a.capacity_async)
                    FROM agent a WHERE a.active = 1 AND a.presence = 'online' AND true
                    ON CONFLICT (measure, hour, channel, team, agent, intent, queue) DO UPDATE SET
                        count = count + 1, sum_ms = sum_ms + excluded.sum_ms, business_ms = business_ms + excluded.business_ms
                    """, arguments: [hour])
            return db.changesCount
        }
    }
}
