import Foundation
import HubCore
import HubCurl
import Testing

@testable import Marketplace

/// Shopify webhooks against the signed samples, and the polling helpers.
@Suite struct MarketplaceTests {
    let secret: String

    init() throws {
        secret = try Samples.vectors("shopify")["client_secret"]
    }

    func adapter(secrets: [String]? = nil) -> MarketplaceAdapter {
        MarketplaceAdapter(
            channelID: "shop", shopDomain: "hub-demo.myshopify.com", webhookSecrets: secrets ?? ["shpss_old_secret", secret],
            accessToken: "shpat_x", apiBase: "http://127.0.0.1:9", apiVersion: "2025-01", pageSize: 250, overlap: 300,
            pollInterval: nil, curl: CurlClient(workers: 1))
    }

    func request(_ body: [UInt8], topic: String, hmac: String?, eventID: String? = "evt-1") -> InboundRequest {
        var headers = ["x-shopify-topic": topic, "x-shopify-webhook-id": "wh-1"]
        if let hmac { headers["x-shopify-hmac-sha256"] = hmac }
        if let eventID { headers["x-shopify-event-id"] = eventID }
        return InboundRequest(
            method: "POST", publicURL: "https://hub.example.com/hooks/shop", query: [:], headers: headers, body: body, receivedAt: Date())
    }

    @Test func signedOrderSampleVerifiesDuringRotationAndDecodes() throws {
        let body = try Samples.bytes("shopify_order_updated.json")
        let vectors = try Samples.vectors("shopify")
        #expect(ShopifySignature.compute(body: body, secret: secret) == vectors["order_updated_hmac"])
        let shop = adapter()
        let inbound = request(body, topic: "orders/updated", hmac: vectors["order_updated_hmac"])
        try shop.verify(inbound)
        #expect(try shop.dedupeKey(for: inbound) == "event:evt-1")
        #expect(shop.topic(for: inbound) == "orders/updated")
        #expect(shop.acknowledgement(for: inbound, outcome: .accepted) == nil)
        guard
            case .order(let order) = try shop.decode(
                RawInbound(channelID: "shop", body: body, contentType: nil, topic: "orders/updated", receivedAt: Date())
            ).first
        else { throw Failure("order") }
        #expect(order.orderID == "5551234567890")
        #expect(order.name == "#1001")
        #expect(order.totalPrice == "299.00")
        #expect(order.financialStatus == "paid")
        #expect(order.fulfillmentStatus == "partial")
        #expect(order.customerName == "张三")
        #expect(order.shopUpdatedAt == Date(timeIntervalSince1970: 1_699_971_200))
        #expect(
            order.customerIdentities.contains(
                IdentityHint(kind: .shopCustomer, value: "hub-demo.myshopify.com:7001234567890", verified: true)))
        #expect(order.customerIdentities.contains(IdentityHint(kind: .phone, value: "+8613800138000", verified: true)))
        #expect(order.customerIdentities.contains(IdentityHint(kind: .email, value: "zhang.san@example.cn", verified: true)))
        #expect(order.lineItems.count == 2)
        #expect(order.fulfillments.first?.trackingNumber == "SF1234567890")
    }

    @Test func fulfilmentSampleVerifiesAndDecodes() throws {
        let body = try Samples.bytes("shopify_fulfillment_update.json")
        let hmac = try Samples.vectors("shopify")["fulfillment_update_hmac"]
        try adapter().verify(request(body, topic: "fulfillments/update", hmac: hmac))
        guard
            case .fulfillment(let shipment) = try adapter().decode(
                RawInbound(channelID: "shop", body: body, contentType: nil, topic: "fulfillments/update", receivedAt: Date())
            ).first
        else { throw Failure("fulfilment") }
        #expect(shipment.orderID == "5551234567890")
        #expect(shipment.shipmentStatus == "in_transit")
        #expect(shipment.trackingCompany == "SF Express")
    }

    @Test func badHMACMissingIdAndUnknownTopics() throws {
        let body = try Samples.bytes("shopify_order_updated.json")
        do {
            try adapter(secrets: ["wrong"]).verify(
                request(body, topic: "orders/updated", hmac: ShopifySignature.compute(body: body, secret: secret)))
            Issue.record("a wrong secret verified")
        } catch {
            #expect(error.kind == .unauthorized)
        }
        #expect(throws: HubError.self) { try adapter().verify(request(body, topic: "orders/updated", hmac: nil)) }
        let noID = Array(##"{"name":"#1","updated_at":"2024-01-01T00:00:00Z"}"##.utf8)
        do {
            try adapter().verify(request(noID, topic: "orders/create", hmac: ShopifySignature.compute(body: noID, secret: secret)))
            Issue.record("an order without id verified")
        } catch {
            #expect(error.kind == .badRequest)
            #expect(error.code == "missing_order_id")
        }
        let other = Array(#"{"id":1}"#.utf8)
        let unknown = request(other, topic: "app/uninstalled", hmac: ShopifySignature.compute(body: other, secret: secret))
        try adapter().verify(unknown)
        #expect(adapter().acknowledgement(for: unknown, outcome: .accepted)?.status == 202)
        #expect(
            try adapter().decode(RawInbound(channelID: "shop", body: other, contentType: nil, topic: "app/uninstalled", receivedAt: Date()))
                .isEmpty)
    }

    @Test func linkHeaderAndCallLimit() {
        let link =
            #"<https://shop/admin/api/2025-01/orders.json?limit=250&page_info=abc>; rel="previous", <https://shop/admin/api/2025-01/orders.json?limit=250&page_info=def>; rel="next""#
        #expect(MarketplaceAdapter.nextLink(link) == "https://shop/admin/api/2025-01/orders.json?limit=250&page_info=def")
        #expect(MarketplaceAdapter.nextLink(#"<https://x?page_info=a>; rel="previous""#) == nil)
        #expect(MarketplaceAdapter.nextLink(nil) == nil)
        #expect(MarketplaceAdapter.pause(callLimit: "1/40") == nil)
        #expect(MarketplaceAdapter.pause(callLimit: "39/40") == .milliseconds(9500))
        let first = adapter().firstPageURL(since: Date(timeIntervalSince1970: 1_700_000_300))
        #expect(first.contains("status=any"))
        #expect(first.contains("updated_at_min=2023-11-14T22%3A13%3A20Z"))
    }
}
