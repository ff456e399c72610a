package import struct Foundation.Date

/// An order as a shop reported it at one moment (`shopUpdatedAt`). Snapshots are
/// applied newest-wins: an older one never overwrites a newer one, whatever order
/// webhooks and polls deliver them in.
package struct OrderSnapshot: Sendable, Hashable, Codable {
    /// The shop's id, unique within the channel.
    package var orderID: String
    /// What customers and agents call it, e.g. `#1001`.
    package var name: String
    package var createdAt: Date
    /// The shop's `updated_at`: the version of this snapshot.
    package var shopUpdatedAt: Date
    /// `pending`, `authorized`, `paid`, `partially_refunded`, `refunded`, `voided`, …
    package var financialStatus: String?
    /// `unfulfilled`, `partial`, `fulfilled`.
    package var fulfillmentStatus: String
    package var cancelledAt: Date?
    package var currency: String
    /// The total as the shop writes it (a decimal string, never a float).
    package var totalPrice: String
    /// Who placed it: shop customer id, email, phone, strongest first.
    package var customerIdentities: [IdentityHint]
    package var customerName: String?
    package var lineItems: [OrderLineItem]
    package var fulfillments: [FulfillmentSnapshot]

    package init(
        orderID: String, name: String, createdAt: Date, shopUpdatedAt: Date, financialStatus: String?, fulfillmentStatus: String,
        cancelledAt: Date?, currency: String, totalPrice: String, customerIdentities: [IdentityHint], customerName: String?,
        lineItems: [OrderLineItem], fulfillments: [FulfillmentSnapshot]
    ) {
        self.orderID = orderID
        self.name = name
        self.createdAt = createdAt
        self.shopUpdatedAt = shopUpdatedAt
        self.financialStatus = financialStatus
        self.fulfillmentStatus = fulfillmentStatus
        self.cancelledAt = cancelledAt
        self.currency = currency
        self.totalPrice = totalPrice
        self.customerIdentities = customerIdentities
        self.customerName = customerName
        self.lineItems = lineItems
        self.fulfillments = fulfillments
    }

    /// One line for the timeline: `Order #1001: 299.00 CNY, paid, partially fulfilled`.
    package var statusLine: String {
        var facts = ["\(totalPrice) \(currency)"]
        if cancelledAt != nil { facts.append("cancelled") }
        if let financialStatus { facts.append(financialStatus.replacingOccurrences(of: "_", with: " ")) }
        facts.append(fulfillmentStatus == "partial" ? "partially fulfilled" : fulfillmentStatus)
        return "Order \(name): " + facts.joined(separator: ", ")
    }
}

/// One product line of an order.
package struct OrderLineItem: Sendable, Hashable, Codable {
    package var title: String
    package var sku: String?
    package var quantity: Int
    package var price: String

    package init(title: String, sku: String?, quantity: Int, price: String) {
        self.title = title
        self.sku = sku
        self.quantity = quantity
        self.price = price
    }
}

/// A shipment of (part of) an order, with the carrier's tracking number.
package struct FulfillmentSnapshot: Sendable, Hashable, Codable {
    package var fulfillmentID: String
    package var orderID: String
    /// `pending`, `open`, `success`, `cancelled`, `error`, `failure`.
    package var status: String
    /// The carrier's stage as the shop knows it (`in_transit`, `delivered`, …).
    package var shipmentStatus: String?
    package var trackingCompany: String?
    package var trackingNumber: String?
    package var trackingURL: String?
    package var shopUpdatedAt: Date

    package init(
        fulfillmentID: String, orderID: String, status: String, shipmentStatus: String?, trackingCompany: String?, trackingNumber: String?,
        trackingURL: String?, shopUpdatedAt: Date
    ) {
        self.fulfillmentID = fulfillmentID
        self.orderID = orderID
        self.status = status
        self.shipmentStatus = shipmentStatus
        self.trackingCompany = trackingCompany
        self.trackingNumber = trackingNumber
        self.trackingURL = trackingURL
        self.shopUpdatedAt = shopUpdatedAt
    }
}
