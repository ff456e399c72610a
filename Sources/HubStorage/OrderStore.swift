import Foundation
import GRDB
package import HubCore

/// Orders as agents read them.
package struct OrderStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// The orders of a customer and everyone merged with them, newest first; `nil`
    /// when the customer does not exist.
    package func orders(customerID: CustomerID, limit: Int) async throws -> (customer: CustomerID, orders: [OrderView])? {
        try await database.writer.read { db in
            guard let root = try CustomerID.fetchOne(db, sql: "SELECT root_id FROM customer WHERE id = ?", arguments: [customerID]) else {
                return nil
            }
            return (root, try Self.orders(root: root, limit: limit, in: db))
        }
    }

    /// The orders of every customer merged into `root`, newest first, with their shipments.
    static func orders(root: CustomerID, limit: Int, in db: Database) throws -> [OrderView] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM shop_order WHERE customer_id IN (SELECT id FROM customer WHERE root_id = ?)
                ORDER BY created_at DESC, id DESC LIMIT ?
                """, arguments: [root, limit]
        ).map { try view(row: $0, in: db) }
    }

    /// An order row with its shipments and each shipment's latest scan.
    static func view(row: Row, in db: Database) throws -> OrderView {
        let channelID: String = row["channel_id"]
        let orderID: String = row["order_id"]
        let shipments = try Row.fetchAll(
            db, sql: "SELECT * FROM fulfillment WHERE channel_id = ? AND order_id = ? ORDER BY id", arguments: [channelID, orderID]
        ).map { shipment in
            let number: String? = shipment["tracking_number"]
            let latest = try number.flatMap { number in
                try Row.fetchOne(
                    db,
                    sql:
                        "SELECT occurred_at_ms, stage, text FROM tracking_event WHERE tracking_number = ? ORDER BY occurred_at_ms DESC LIMIT 1",
                    arguments: [number])
            }.map { scan in
                TrackingEventView(at: Self.date(scan[0]), stage: (scan[1] as String?).flatMap(ShipmentStage.init), text: scan[2])
            }
            return FulfillmentView(
                fulfillmentID: shipment["fulfillment_id"], status: shipment["status"], shipmentStatus: shipment["shipment_status"],
                trackingCompany: shipment["tracking_company"], trackingNumber: number, trackingURL: shipment["tracking_url"],
                shopUpdatedAt: Self.date(shipment["shop_updated_at_ms"]), latestEvent: latest)
        }
        return OrderView(
            channelID: channelID, orderID: orderID, name: row["name"], customerID: row["customer_id"],
            financialStatus: row["financial_status"], fulfillmentStatus: row["fulfillment_status"],
            cancelledAt: row["cancelled_at"],
            currency: row["currency"], totalPrice: row["total_price"],
            lineItems: try JSONDecoder().decode([OrderLineItem].self, from: Data((row["line_items"] as String).utf8)),
            createdAt: row["created_at"], shopUpdatedAt: Self.date(row["shop_updated_at_ms"]), fulfillments: shipments)
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
