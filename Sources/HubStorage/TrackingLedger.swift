import Foundation
import GRDB
import HubCore

/// Parcel scans, each stored once and put on the timeline of the customer whose
/// order shipped with that tracking number.
enum TrackingLedger {
    static func apply(_ update: TrackingUpdate, channelID: ChannelID, now: Date, in db: Database) throws {
        let owner = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT o.customer_id, o.name, o.channel_id, o.order_id FROM fulfillment f
                    JOIN shop_order o ON o.channel_id = f.channel_id AND o.order_id = f.order_id
                    WHERE f.tracking_number = ? ORDER BY f.id DESC LIMIT 1
                    """), arguments: [update.trackingNumber])
        var newest: TrackingCheckpoint?
        for checkpoint in update.checkpoints.sorted(by: { $0.time < $1.time }) {
            try db.cachedStatement(
                sql: """
                    INSERT INTO tracking_event (tracking_number, carrier, occurred_at_ms, stage, text, area)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tracking_number, occurred_at_ms, text) DO NOTHING
                    """
            ).execute(arguments: [
                update.trackingNumber, update.carrier, OrderLedger.milliseconds(checkpoint.time), checkpoint.stage?.rawValue,
                checkpoint.text, checkpoint.area,
            ])
            guard db.changesCount > 0 else { continue }
            newest = checkpoint
            guard let owner else { continue }
            let stage = checkpoint.stage.map { " \($0.words)" } ?? ""
            try InboundApplier.addTimelineEvent(
                customerID: owner[0], channelID: owner[2], kind: "tracking.\(checkpoint.stage?.rawValue ?? "update")", at: checkpoint.time,
                summary: "Order \(owner[1] as String), \(update.trackingNumber)\(stage): \(checkpoint.text)", in: db)
        }
        if let newest {
            let customer: CustomerID? = owner?[0]
            try EventLog.append(
                .shipmentUpdated,
                ShipmentEventData(
                    channel: owner?[2] ?? channelID, order: owner?[3],
                    customer: try customer.flatMap { try IdentityGraph.root(of: $0, in: db) },
                    trackingNumber: update.trackingNumber, carrier: update.carrier,
                    status: newest.stage?.rawValue ?? update.stage?.rawValue ?? "update",
                    detail: newest.text, at: newest.time), at: now, in: db)
        }
        let finished = update.finished || update.stage?.isFinal == true
        try db.cachedStatement(
            sql: """
                UPDATE tracking_subscription SET stage = COALESCE(?, stage), state = CASE WHEN ? THEN 'done' ELSE state END, updated_at = ?
                WHERE tracking_number = ?
                """
        ).execute(arguments: [update.stage?.rawValue, finished, now, update.trackingNumber])
    }
}
