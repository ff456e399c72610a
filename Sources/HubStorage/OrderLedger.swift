import Foundation
import GRDB
import HubCore

/// Orders and shipments upserted newest-wins, each change a timeline event on the
/// customer the order is filed under.
enum OrderLedger {
    enum Change {
        case created, updated, unchanged
    }

    static func apply(
        _ order: OrderSnapshot, channelID: ChannelID, customerID: CustomerID, now: Date, inboxID: Int64? = nil, in db: Database
    ) throws -> Change {
        let version = milliseconds(order.shopUpdatedAt)
        let lineItems = String(decoding: try JSONEncoder().encode(order.lineItems), as: UTF8.self)
        let existing = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT customer_id, shop_updated_at_ms, financial_status, fulfillment_status, cancelled_at IS NOT NULL
                    FROM shop_order WHERE channel_id = ? AND order_id = ?
                    """), arguments: [channelID, order.orderID])
        let change: Change
        var filedUnder = customerID
        if let existing {
            filedUnder = existing[0]
            if version <= existing[1] as Int64 {
                change = .unchanged
            } else {
                try db.cachedStatement(
                    sql: """
                        UPDATE shop_order SET name = ?, financial_status = ?, fulfillment_status = ?, cancelled_at = ?, currency = ?,
                            total_price = ?, line_items = ?, shop_updated_at_ms = ?, stored_at = ?
                        WHERE channel_id = ? AND order_id = ?
                        """
                ).execute(arguments: [
                    order.name, order.financialStatus, order.fulfillmentStatus, order.cancelledAt, order.currency, order.totalPrice,
                    lineItems, version, now, channelID, order.orderID,
                ])
                let statusChanged =
                    existing[2] as String? != order.financialStatus || existing[3] as String != order.fulfillmentStatus
                    || existing[4] as Bool != (order.cancelledAt != nil)
                if statusChanged {
                    try InboundApplier.addTimelineEvent(
                        customerID: filedUnder, channelID: channelID, kind: order.cancelledAt != nil ? "order.cancelled" : "order.updated",
                        at: order.shopUpdatedAt, summary: order.statusLine, in: db)
                }
                change = .updated
            }
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO shop_order (channel_id, order_id, customer_id, name, financial_status, fulfillment_status, cancelled_at,
                        currency, total_price, line_items, created_at, shop_updated_at_ms, stored_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                channelID, order.orderID, customerID, order.name, order.financialStatus, order.fulfillmentStatus, order.cancelledAt,
                order.currency, order.totalPrice, lineItems, order.createdAt, version, now,
            ])
            try InboundApplier.addTimelineEvent(
                customerID: customerID, channelID: channelID, kind: "order.created", at: order.createdAt, summary: order.statusLine, in: db)
            change = .created
        }
        // Embedded shipments carry their own versions, so they are applied whatever the order's.
        for fulfillment in order.fulfillments {
            try apply(fulfillment, channelID: channelID, now: now, in: db)
        }
        if change != .unchanged,
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM shop_order WHERE channel_id = ? AND order_id = ?"),
                arguments: [channelID, order.orderID])
        {
            let root = try IdentityGraph.root(of: filedUnder, in: db) ?? filedUnder
            try EventLog.append(
                .orderUpserted,
                OrderEventData(order: try OrderStore.view(row: row, in: db), customer: root, created: change == .created),
                at: now, inboxID: inboxID, in: db)
        }
        return change
    }

    /// Upserts a shipment newest-wins; a new shipment and each shipment-status change
    /// go on the timeline of the order's customer (when the order is known).
    static func apply(_ fulfillment: FulfillmentSnapshot, channelID: ChannelID, now: Date, in db: Database) throws {
        let version = milliseconds(fulfillment.shopUpdatedAt)
        if let number = fulfillment.trackingNumber, !number.isEmpty {
            // Followed by the tracking channel, if the manifest has one.
            try db.cachedStatement(
                sql: """
                    INSERT INTO tracking_subscription (tracking_number, carrier_name, next_attempt_at, created_at, updated_at)
                    VALUES (?1, ?2, ?3, ?3, ?3) ON CONFLICT (tracking_number) DO NOTHING
                    """
            ).execute(arguments: [number, fulfillment.trackingCompany, now])
        }
        let existing = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT shop_updated_at_ms, shipment_status, status FROM fulfillment WHERE channel_id = ? AND fulfillment_id = ?"),
            arguments: [channelID, fulfillment.fulfillmentID])
        if let existing, version <= existing[0] as Int64 { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO fulfillment (channel_id, fulfillment_id, order_id, status, shipment_status, tracking_company, tracking_number,
                    tracking_url, shop_updated_at_ms)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                ON CONFLICT (channel_id, fulfillment_id) DO UPDATE SET status = ?4, shipment_status = ?5, tracking_company = ?6,
                    tracking_number = ?7, tracking_url = ?8, shop_updated_at_ms = ?9
                """
        ).execute(arguments: [
            channelID, fulfillment.fulfillmentID, fulfillment.orderID, fulfillment.status, fulfillment.shipmentStatus,
            fulfillment.trackingCompany, fulfillment.trackingNumber, fulfillment.trackingURL, version,
        ])
        guard
            let order = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT customer_id, name FROM shop_order WHERE channel_id = ? AND order_id = ?"),
                arguments: [channelID, fulfillment.orderID])
        else { return }
        let name: String = order[1]
        let carrier = [fulfillment.trackingCompany, fulfillment.trackingNumber].compactMap { $0 }.joined(separator: " ")
        let via = carrier.isEmpty ? "" : " (\(carrier))"
        if existing == nil {
            try InboundApplier.addTimelineEvent(
                customerID: order[0], channelID: channelID, kind: "shipment.created", at: fulfillment.shopUpdatedAt,
                summary: "Order \(name) shipped\(via)", in: db)
        }
        if let stage = fulfillment.shipmentStatus, stage != existing?[1] as String? {
            try InboundApplier.addTimelineEvent(
                customerID: order[0], channelID: channelID, kind: "shipment.\(stage)", at: fulfillment.shopUpdatedAt,
                summary: "Order \(name): \(stage.replacingOccurrences(of: "_", with: " "))\(via)", in: db)
        }
        let customer: CustomerID = order[0]
        try EventLog.append(
            .shipmentUpdated,
            ShipmentEventData(
                channel: channelID, order: fulfillment.orderID, customer: try IdentityGraph.root(of: customer, in: db) ?? customer,
                trackingNumber: fulfillment.trackingNumber, carrier: fulfillment.trackingCompany,
                status: fulfillment.shipmentStatus ?? fulfillment.status, detail: nil, at: fulfillment.shopUpdatedAt), at: now, in: db)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        date.epochMilliseconds
    }
}
