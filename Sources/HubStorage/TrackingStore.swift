package import Foundation
import GRDB
package import HubCore

/// A parcel due for a subscription attempt or a query.
package struct TrackingJob: Sendable, Hashable {
    package var shipment: TrackedShipment
    /// `pending` (not yet subscribed) or `polling` (followed by queries).
    package var state: String
    package var attempts: Int
}

/// The parcels the hub follows and where each is.
package struct TrackingStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    package func due(now: Date, limit: Int) async throws -> [TrackingJob] {
        try await database.writer.read { db in
            // The phone comes from the customer the order is filed under (and anyone merged with them).
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.tracking_number, s.carrier_name, s.state, s.attempts,
                        (SELECT i.value FROM fulfillment f
                            JOIN shop_order o ON o.channel_id = f.channel_id AND o.order_id = f.order_id
                            JOIN customer owner ON owner.id = o.customer_id
                            JOIN customer c ON c.root_id = owner.root_id
                            JOIN identity i ON i.customer_id = c.id AND i.kind = 'phone'
                            WHERE f.tracking_number = s.tracking_number LIMIT 1) AS phone
                    FROM tracking_subscription s
                    WHERE s.state IN ('pending', 'polling') AND s.next_attempt_at <= ?
                    ORDER BY s.next_attempt_at LIMIT ?
                    """, arguments: [now, limit]
            ).map { row in
                TrackingJob(
                    shipment: TrackedShipment(
                        trackingNumber: row["tracking_number"], carrierName: row["carrier_name"], phone: row["phone"]),
                    state: row["state"], attempts: row["attempts"])
            }
        }
    }

    /// `subscribed` (pushes will come), `polling` (query again at `next`), or back to
    /// `pending` at `next` after a failure.
    package func record(_ trackingNumber: String, state: String, next: Date, error: String?, now: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE tracking_subscription
                    SET state = CASE WHEN state = 'done' THEN 'done' ELSE ? END, next_attempt_at = ?, last_error = ?,
                        attempts = CASE WHEN ? IS NULL THEN 0 ELSE attempts + 1 END, updated_at = ?
                    WHERE tracking_number = ?
                    """, arguments: [state, next, error, error, now, trackingNumber])
        }
    }
}
