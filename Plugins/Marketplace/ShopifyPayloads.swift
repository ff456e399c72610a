import Foundation
import HubCore

/// The fields of Shopify's order JSON the hub keeps (REST Admin API and webhooks share it).
struct ShopifyOrder: Decodable {
    var id: Int64?
    var name: String?
    var email: String?
    var phone: String?
    var createdAt: String?
    var updatedAt: String?
    var cancelledAt: String?
    var currency: String?
    var totalPrice: String?
    var financialStatus: String?
    var fulfillmentStatus: String?
    var customer: ShopifyCustomer?
    var shippingAddress: Address?
    var lineItems: [LineItem]?
    var fulfillments: [ShopifyFulfillment]?

    struct Address: Decodable {
        var name: String?
        var phone: String?
    }

    struct LineItem: Decodable {
        var title: String?
        var sku: String?
        var quantity: Int?
        var price: String?
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone, currency, customer, fulfillments
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case cancelledAt = "cancelled_at"
        case totalPrice = "total_price"
        case financialStatus = "financial_status"
        case fulfillmentStatus = "fulfillment_status"
        case shippingAddress = "shipping_address"
        case lineItems = "line_items"
    }

    /// The order as the hub models it, its customer identified by shop id, email and phone.
    func snapshot(shop: String) throws(HubError) -> OrderSnapshot {
        guard let id else { throw HubError.badRequest("missing_order_id", "the order has no id") }
        guard let updated = updatedAt.flatMap(ShopifyDate.parse) else {
            throw HubError.badRequest("missing_updated_at", "order \(id) has no readable updated_at")
        }
        var identities: [IdentityHint] = []
        var name: String?
        if let customer {
            identities += customer.identities(shop: shop)
            name = customer.displayName
        }
        // The order's own contact details, often present when the customer object is redacted.
        if let email, !email.isEmpty, !identities.contains(where: { $0.kind == .email }) {
            identities.append(IdentityHint(kind: .email, value: email, verified: false))
        }
        for phone in [phone, shippingAddress?.phone].compactMap({ $0 }) where !phone.isEmpty {
            if !identities.contains(where: { $0.kind == .phone && $0.value == phone }) {
                identities.append(IdentityHint(kind: .phone, value: phone, verified: true))
            }
        }
        return OrderSnapshot(
            orderID: String(id), name: self.name ?? "#\(id)", createdAt: createdAt.flatMap(ShopifyDate.parse) ?? updated,
            shopUpdatedAt: updated, financialStatus: financialStatus, fulfillmentStatus: fulfillmentStatus ?? "unfulfilled",
            cancelledAt: cancelledAt.flatMap(ShopifyDate.parse), currency: currency ?? "", totalPrice: totalPrice ?? "0",
            customerIdentities: identities, customerName: name ?? shippingAddress?.name,
            lineItems: (lineItems ?? []).map {
                OrderLineItem(title: $0.title ?? "", sku: $0.sku, quantity: $0.quantity ?? 1, price: $0.price ?? "0")
            },
            fulfillments: try shipments(orderID: String(id)))
    }
}

extension ShopifyOrder {
    func shipments(orderID: String) throws(HubError) -> [FulfillmentSnapshot] {
        var result: [FulfillmentSnapshot] = []
        for fulfillment in fulfillments ?? [] { result.append(try fulfillment.snapshot(orderID: orderID)) }
        return result
    }
}

struct ShopifyCustomer: Decodable {
    var id: Int64?
    var email: String?
    var phone: String?
    var firstName: String?
    var lastName: String?
    var verifiedEmail: Bool?

    enum CodingKeys: String, CodingKey {
        case id, email, phone
        case firstName = "first_name"
        case lastName = "last_name"
        case verifiedEmail = "verified_email"
    }

    var displayName: String? {
        let parts = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        // Chinese names are family name first; Shopify stores them split the Western way.
        let isCJK = parts.joined().unicodeScalars.contains { $0.properties.isIdeographic }
        return isCJK ? (lastName ?? "") + (firstName ?? "") : parts.joined(separator: " ")
    }

    func identities(shop: String) -> [IdentityHint] {
        var hints: [IdentityHint] = []
        if let id { hints.append(IdentityHint(kind: .shopCustomer, value: "\(shop):\(id)", verified: true)) }
        if let email, !email.isEmpty { hints.append(IdentityHint(kind: .email, value: email, verified: verifiedEmail == true)) }
        if let phone, !phone.isEmpty { hints.append(IdentityHint(kind: .phone, value: phone, verified: true)) }
        return hints
    }
}

struct ShopifyFulfillment: Decodable {
    var id: Int64?
    var orderID: Int64?
    var status: String?
    var trackingCompany: String?
    var trackingNumber: String?
    var trackingURL: String?
    var shipmentStatus: String?
    var updatedAt: String?
    var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case id, status
        case orderID = "order_id"
        case trackingCompany = "tracking_company"
        case trackingNumber = "tracking_number"
        case trackingURL = "tracking_url"
        case shipmentStatus = "shipment_status"
        case updatedAt = "updated_at"
        case createdAt = "created_at"
    }

    func snapshot(orderID fallback: String? = nil) throws(HubError) -> FulfillmentSnapshot {
        guard let id else { throw HubError.badRequest("missing_fulfillment_id", "the fulfilment has no id") }
        guard let order = orderID.map(String.init) ?? fallback else {
            throw HubError.badRequest("missing_order_id", "fulfilment \(id) has no order_id")
        }
        guard let updated = (updatedAt ?? createdAt).flatMap(ShopifyDate.parse) else {
            throw HubError.badRequest("missing_updated_at", "fulfilment \(id) has no readable updated_at")
        }
        return FulfillmentSnapshot(
            fulfillmentID: String(id), orderID: order, status: status ?? "pending", shipmentStatus: shipmentStatus,
            trackingCompany: trackingCompany, trackingNumber: trackingNumber, trackingURL: trackingURL, shopUpdatedAt: updated)
    }
}

/// Shopify writes ISO 8601 with an offset, with or without fractional seconds.
enum ShopifyDate {
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
