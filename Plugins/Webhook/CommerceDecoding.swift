import Foundation
import HubCore

/// Orders and shipments from a declarative channel's events (`order.created`,
/// `shipment.updated`, …), with the plug-in's JSON pointers.
struct CommerceDecoding {
    let plugin: WebhookPlugin
    let channelID: ChannelID

    func handles(_ type: String?) -> Bool {
        guard let type else { return false }
        return plugin.orders?.types.contains(type) == true || plugin.shipments?.types.contains(type) == true
    }

    /// The events of a commerce delivery; `nil` when the delivery is not one (a message).
    func events(_ document: JSONValue) throws(HubError) -> [InboundEvent]? {
        guard let pointer = plugin.eventType, let type = document.at(pointer)?.text else { return nil }
        if let orders = plugin.orders, orders.types.contains(type) {
            return [.order(try order(document, orders.fields))]
        }
        if let shipments = plugin.shipments, shipments.types.contains(type) {
            return [.fulfillment(try shipment(document, shipments.fields))]
        }
        return plugin.mapping == nil ? [] : nil
    }

    func order(_ document: JSONValue, _ fields: [String: String]) throws(HubError) -> OrderSnapshot {
        func text(_ field: String) -> String? { fields[field].flatMap { document.at($0)?.text }.flatMap { $0.isEmpty ? nil : $0 } }
        guard let id = text("id") else {
            throw HubError.badRequest("missing_order_id", "the event has no order id at \(fields["id"] ?? "")")
        }
        guard let updated = fields["updated_at"].flatMap({ WebhookAdapter.date(document.at($0)) }) else {
            throw HubError.badRequest("missing_updated_at", "the event has no readable time at \(fields["updated_at"] ?? "")")
        }
        var identities: [IdentityHint] = []
        if let customer = text("customer_id") {
            identities.append(IdentityHint(kind: .shopCustomer, value: "\(channelID):\(customer)", verified: true))
        }
        if let email = text("customer_email") { identities.append(IdentityHint(kind: .email, value: email, verified: false)) }
        if let phone = text("customer_phone") { identities.append(IdentityHint(kind: .phone, value: phone, verified: true)) }
        var shipments: [FulfillmentSnapshot] = []
        if let number = text("tracking_number") {
            shipments.append(
                FulfillmentSnapshot(
                    fulfillmentID: "\(id)-\(number)", orderID: id, status: "success", shipmentStatus: text("shipment_status"),
                    trackingCompany: text("carrier"), trackingNumber: number, trackingURL: text("tracking_url"), shopUpdatedAt: updated))
        }
        return OrderSnapshot(
            orderID: id, name: text("name") ?? "#\(id)",
            createdAt: fields["created_at"].flatMap { WebhookAdapter.date(document.at($0)) } ?? updated,
            shopUpdatedAt: updated, financialStatus: text("financial_status"),
            fulfillmentStatus: text("fulfillment_status") ?? "unfulfilled",
            cancelledAt: fields["cancelled_at"].flatMap { WebhookAdapter.date(document.at($0)) }, currency: text("currency") ?? "",
            totalPrice: text("total") ?? "0", customerIdentities: identities, customerName: text("customer_name"), lineItems: [],
            fulfillments: shipments)
    }

    func shipment(_ document: JSONValue, _ fields: [String: String]) throws(HubError) -> FulfillmentSnapshot {
        func text(_ field: String) -> String? { fields[field].flatMap { document.at($0)?.text }.flatMap { $0.isEmpty ? nil : $0 } }
        guard let order = text("order_id") else { throw HubError.badRequest("missing_order_id", "the shipment event has no order id") }
        guard let updated = fields["updated_at"].flatMap({ WebhookAdapter.date(document.at($0)) }) else {
            throw HubError.badRequest("missing_updated_at", "the shipment event has no readable time")
        }
        let number = text("tracking_number")
        return FulfillmentSnapshot(
            fulfillmentID: text("id") ?? "\(order)-\(number ?? "shipment")", orderID: order, status: text("status") ?? "success",
            shipmentStatus: text("shipment_status"), trackingCompany: text("carrier"), trackingNumber: number,
            trackingURL: text("tracking_url"),
            shopUpdatedAt: updated)
    }
}
