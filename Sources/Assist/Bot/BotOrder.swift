package import Foundation
package import HubCore

/// Where an order stands, in the words of `../shared/ASSIST.md`.
package enum BotOrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case awaitingPayment = "awaiting_payment"
    case awaitingShipment = "awaiting_shipment"
    case shipped
    case delivered
    case cancelled
    case refunding
    case refunded

    /// Whether the shop still holds the parcel: it can be cancelled or readdressed.
    package var isUnshipped: Bool { self == .awaitingPayment || self == .awaitingShipment }

    /// Whether the order is still on its way to the customer or being settled.
    package var isActive: Bool { self == .awaitingPayment || self == .awaitingShipment || self == .shipped || self == .refunding }
}

/// An order as the bot reads it: the customer's own, from the shop's stored data.
package struct BotOrder: Sendable, Hashable {
    /// The shop's id of the order.
    package var id: String
    /// What the customer sees, such as `#20001`.
    package var name: String
    package var channelID: ChannelID
    package var status: BotOrderStatus
    package var items: [String]
    package var total: String
    package var currency: String
    package var placed: Date
    package var carrier: String?
    package var tracking: String?
    package var trackingURL: String?
    package var lastEvent: String?
    package var lastEventAt: Date?
    package var stage: ShipmentStage?

    package init(
        id: String, name: String, channelID: ChannelID, status: BotOrderStatus, items: [String], total: String, currency: String,
        placed: Date, carrier: String? = nil, tracking: String? = nil, trackingURL: String? = nil, lastEvent: String? = nil,
        lastEventAt: Date? = nil, stage: ShipmentStage? = nil
    ) {
        self.id = id
        self.name = name
        self.channelID = channelID
        self.status = status
        self.items = items
        self.total = total
        self.currency = currency
        self.placed = placed
        self.carrier = carrier
        self.tracking = tracking
        self.trackingURL = trackingURL
        self.lastEvent = lastEvent
        self.lastEventAt = lastEventAt
        self.stage = stage
    }

    /// The bot's reading of a stored order: a cancellation wins, then refunds, then the
    /// parcel (delivered by the shop's shipment status or the carrier's last scan), then payment.
    package init(_ view: OrderView) {
        let shipment = view.fulfillments.last { $0.trackingNumber != nil } ?? view.fulfillments.last
        let financial = view.financialStatus ?? ""
        let status: BotOrderStatus
        if view.cancelledAt != nil {
            status = .cancelled
        } else if financial == "refunded" {
            status = .refunded
        } else if financial == "refund_pending" || financial == "partially_refunded" {
            status = .refunding
        } else if let shipment {
            let delivered = shipment.shipmentStatus == "delivered" || shipment.latestEvent?.stage == .delivered
            status = delivered ? .delivered : .shipped
        } else if ["fulfilled", "partial"].contains(view.fulfillmentStatus) {
            status = .shipped
        } else if financial == "pending" || financial == "voided" {
            status = .awaitingPayment
        } else {
            status = .awaitingShipment
        }
        self.init(
            id: view.orderID, name: view.name, channelID: view.channelID, status: status,
            items: view.lineItems.map(\.title), total: view.totalPrice, currency: view.currency, placed: view.createdAt,
            carrier: shipment?.trackingCompany, tracking: shipment?.trackingNumber, trackingURL: shipment?.trackingURL,
            lastEvent: shipment?.latestEvent?.text, lastEventAt: shipment?.latestEvent?.at,
            stage: shipment?.latestEvent?.stage ?? (shipment?.shipmentStatus).flatMap(ShipmentStage.init))
    }

    /// The digits a customer types for this order (`#20001` → `20001`).
    package var number: String { name.filter(\.isNumber) }
}
