package import struct Foundation.Date

/// An order as agents and the bot read it, with its shipments.
package struct OrderView: Sendable, Hashable, Codable {
    package var channelID: ChannelID
    package var orderID: String
    package var name: String
    /// The customer the order is filed under (its home in the identity graph).
    package var customerID: CustomerID
    package var financialStatus: String?
    package var fulfillmentStatus: String
    package var cancelledAt: Date?
    package var currency: String
    package var totalPrice: String
    package var lineItems: [OrderLineItem]
    package var createdAt: Date
    /// The shop's version of the order.
    package var shopUpdatedAt: Date
    package var fulfillments: [FulfillmentView]

    package init(
        channelID: ChannelID, orderID: String, name: String, customerID: CustomerID, financialStatus: String?, fulfillmentStatus: String,
        cancelledAt: Date?, currency: String, totalPrice: String, lineItems: [OrderLineItem], createdAt: Date, shopUpdatedAt: Date,
        fulfillments: [FulfillmentView]
    ) {
        self.channelID = channelID
        self.orderID = orderID
        self.name = name
        self.customerID = customerID
        self.financialStatus = financialStatus
        self.fulfillmentStatus = fulfillmentStatus
        self.cancelledAt = cancelledAt
        self.currency = currency
        self.totalPrice = totalPrice
        self.lineItems = lineItems
        self.createdAt = createdAt
        self.shopUpdatedAt = shopUpdatedAt
        self.fulfillments = fulfillments
    }

    private enum CodingKeys: String, CodingKey {
        case channelID = "channel"
        case orderID = "order_id"
        case name
        case customerID = "customer"
        case financialStatus = "financial_status"
        case fulfillmentStatus = "fulfillment_status"
        case cancelledAt = "cancelled_at"
        case currency
        case totalPrice = "total_price"
        case lineItems = "line_items"
        case createdAt = "created_at"
        case shopUpdatedAt = "updated_at"
        case fulfillments
    }
}

/// A shipment of an order.
package struct FulfillmentView: Sendable, Hashable, Codable {
    package var fulfillmentID: String
    package var status: String
    package var shipmentStatus: String?
    package var trackingCompany: String?
    package var trackingNumber: String?
    package var trackingURL: String?
    package var shopUpdatedAt: Date
    /// The carrier's newest scan, from the tracking provider.
    package var latestEvent: TrackingEventView?

    package init(
        fulfillmentID: String, status: String, shipmentStatus: String?, trackingCompany: String?, trackingNumber: String?,
        trackingURL: String?, shopUpdatedAt: Date, latestEvent: TrackingEventView? = nil
    ) {
        self.fulfillmentID = fulfillmentID
        self.status = status
        self.shipmentStatus = shipmentStatus
        self.trackingCompany = trackingCompany
        self.trackingNumber = trackingNumber
        self.trackingURL = trackingURL
        self.shopUpdatedAt = shopUpdatedAt
        self.latestEvent = latestEvent
    }

    private enum CodingKeys: String, CodingKey {
        case fulfillmentID = "id"
        case status
        case shipmentStatus = "shipment_status"
        case trackingCompany = "tracking_company"
        case trackingNumber = "tracking_number"
        case trackingURL = "tracking_url"
        case shopUpdatedAt = "updated_at"
        case latestEvent = "latest_event"
    }
}

/// One carrier scan.
package struct TrackingEventView: Sendable, Hashable, Codable {
    package var at: Date
    package var stage: ShipmentStage?
    package var text: String

    package init(at: Date, stage: ShipmentStage?, text: String) {
        self.at = at
        self.stage = stage
        self.text = text
    }
}
