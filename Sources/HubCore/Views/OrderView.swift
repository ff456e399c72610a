import struct Foundation.Date

/// An order as agents and the bot read it, with its shipments.
public struct OrderView: Sendable, Hashable, Codable {
    public var channelID: ChannelID
    public var orderID: String
    public var name: String
    /// The customer the order is filed under (its home in the identity graph).
    public var customerID: CustomerID
    public var financialStatus: String?
    public var fulfillmentStatus: String
    public var cancelledAt: Date?
    public var currency: String
    public var totalPrice: String
    public var lineItems: [OrderLineItem]
    public var createdAt: Date
    /// The shop's version of the order.
    public var shopUpdatedAt: Date
    public var fulfillments: [FulfillmentView]

    public init(
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
public struct FulfillmentView: Sendable, Hashable, Codable {
    public var fulfillmentID: String
    public var status: String
    public var shipmentStatus: String?
    public var trackingCompany: String?
    public var trackingNumber: String?
    public var trackingURL: String?
    public var shopUpdatedAt: Date
    /// The carrier's newest scan, from the tracking provider.
    public var latestEvent: TrackingEventView?

    public init(
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
public struct TrackingEventView: Sendable, Hashable, Codable {
    public var at: Date
    public var stage: ShipmentStage?
    public var text: String

    public init(at: Date, stage: ShipmentStage?, text: String) {
        self.at = at
        self.stage = stage
        self.text = text
    }
}
