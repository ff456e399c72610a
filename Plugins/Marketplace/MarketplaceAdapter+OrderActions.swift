import Foundation
package import HubCore
import HubCurl

/// The bot's actions on a Shopify-compatible shop: `POST /orders/{id}/cancel.json` and
/// `PUT /orders/{id}.json` with a new `shipping_address`. The shop answers with the order and,
/// like Shopify, pushes `orders/cancelled` or `orders/updated`, which updates the hub's copy.
extension MarketplaceAdapter: OrderActionAdapter {
    package func cancelOrder(_ orderID: String) async throws(OrderActionFailure) {
        try Self.checkID(orderID)
        let body = #"{"reason":"customer","email":true}"#
        try await call("POST", path: "orders/\(orderID)/cancel.json", body: body)
    }

    package func changeShippingAddress(_ orderID: String, to address: String) async throws(OrderActionFailure) {
        try Self.checkID(orderID)
        let order: [String: Any] = ["order": ["id": Int64(orderID) ?? 0, "shipping_address": ["address1": address]]]
        guard let data = try? JSONSerialization.data(withJSONObject: order) else {
            throw OrderActionFailure("the address cannot be encoded")
        }
        try await call("PUT", path: "orders/\(orderID).json", body: String(decoding: data, as: UTF8.self))
    }

    func call(_ method: String, path: String, body: String) async throws(OrderActionFailure) {
        guard let accessToken else { throw OrderActionFailure("the shop channel has no access_token to act with") }
        let response: CurlResponse
        do {
            response = try await curl.perform(
                CurlRequest(
                    method: method, url: "\(apiBase)/admin/api/\(apiVersion)/\(path)",
                    headers: [
                        ("X-Shopify-Access-Token", accessToken), ("Content-Type", "application/json"), ("Accept", "application/json"),
                    ], body: Array(body.utf8), timeout: .seconds(15)))
        } catch {
            throw OrderActionFailure("the shop could not be reached: \(error.description)")
        }
        guard response.isSuccess else {
            throw OrderActionFailure("the shop answered HTTP \(response.status): \(response.text.prefix(200))")
        }
    }

    /// Shop order ids are digits; anything else must not reach a URL path.
    static func checkID(_ orderID: String) throws(OrderActionFailure) {
        guard !orderID.isEmpty, orderID.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw OrderActionFailure("'\(orderID)' is not a shop order id")
        }
    }
}
