import Foundation
package import HubCore
import HubCurl

/// A Shopify-compatible shop: signed order, fulfilment and customer webhooks in, and
/// a polling pass over the orders API that repairs whatever webhooks missed.
package struct MarketplaceAdapter: SyncingAdapter {
    package let channelID: ChannelID
    let shopDomain: String
    let webhookSecrets: [String]
    let accessToken: String?
    let apiBase: String
    let apiVersion: String
    let pageSize: Int
    /// How far before the watermark a pass starts, for orders updated while the last one ran.
    let overlap: TimeInterval
    package let pollInterval: Duration?
    let curl: CurlClient

    /// The topic polled orders are stored under.
    static let polledTopic = "orders/poll"
    static let orderTopics: Set<String> = [
        "orders/create", "orders/updated", "orders/cancelled", "orders/paid", "orders/fulfilled", "orders/partially_fulfilled",
        "orders/edited", polledTopic,
    ]
    static let fulfillmentTopics: Set<String> = ["fulfillments/create", "fulfillments/update"]
    static let customerTopics: Set<String> = ["customers/create", "customers/update"]

    package var capabilities: ChannelCapabilities { ChannelCapabilities(partKinds: []) }

    // MARK: Webhooks

    package func topic(for request: InboundRequest) -> String? {
        request.headers["x-shopify-topic"] ?? request.headers["shopify-topic"]
    }

    package func verify(_ request: InboundRequest) throws(HubError) {
        _ = try accept(request)
    }

    /// The HMAC, then one decode: a known topic must carry what the hub keys it by; an
    /// unknown one is acknowledged and ignored.
    package func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery {
        try checkSignature(request)
        let topic = topic(for: request)
        let events = try decode(RawInbound(channelID: channelID, body: request.body, contentType: nil, topic: topic, receivedAt: Date()))
        return AcceptedDelivery(dedupeKey: try dedupeKey(for: request), topic: topic, events: events)
    }

    func checkSignature(_ request: InboundRequest) throws(HubError) {
        guard let signature = request.headers["x-shopify-hmac-sha256"] ?? request.headers["shopify-hmac-sha256"] else {
            throw HubError.unauthorized("missing_signature", "X-Shopify-Hmac-Sha256 is required")
        }
        guard ShopifySignature.isValid(signature, body: request.body, secrets: webhookSecrets) else {
            throw HubError.unauthorized("bad_signature", "X-Shopify-Hmac-Sha256 does not match the body with any webhook secret")
        }
    }

    package func dedupeKey(for request: InboundRequest) throws(HubError) -> String? {
        if let event = request.headers["x-shopify-event-id"] ?? request.headers["shopify-event-id"] { return "event:\(event)" }
        if let webhook = request.headers["x-shopify-webhook-id"] ?? request.headers["shopify-webhook-id"] { return "webhook:\(webhook)" }
        return nil
    }

    package func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        let topic = raw.topic ?? ""
        if Self.orderTopics.contains(topic) {
            return [.order(try Self.decodeJSON(ShopifyOrder.self, raw.body).snapshot(shop: shopDomain))]
        }
        if Self.fulfillmentTopics.contains(topic) {
            return [.fulfillment(try Self.decodeJSON(ShopifyFulfillment.self, raw.body).snapshot())]
        }
        if Self.customerTopics.contains(topic) {
            let customer = try Self.decodeJSON(ShopifyCustomer.self, raw.body)
            guard customer.id != nil else { throw HubError.badRequest("missing_customer_id", "the customer has no id") }
            return [.shopCustomer(ShopCustomer(identities: customer.identities(shop: shopDomain), name: customer.displayName))]
        }
        return []
    }

    /// `202` with `ignored` for a topic the hub does not handle, so the shop stops retrying.
    package func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply? {
        let topic = topic(for: request) ?? ""
        guard !(Self.orderTopics.union(Self.fulfillmentTopics).union(Self.customerTopics).contains(topic)) else { return nil }
        return WebhookReply(
            status: 202, contentType: "application/json",
            body: Array(#"{"status":"ignored","reason":"topic not handled"}"#.utf8))
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(HubError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw HubError.badRequest("malformed_json", "the body is not the expected JSON: \(error)")
        }
    }

    package func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        throw SendFailure(
            code: "not_a_messaging_channel", message: "a marketplace channel carries orders, not messages; reply on another channel",
            retryable: false)
    }

    // MARK: Polling

    package func fetchPage(_ cursor: SyncCursor) async throws(SyncFailure) -> SyncPage {
        guard let accessToken else { throw SyncFailure(message: "the channel has no access_token to poll with", transient: false) }
        let url = cursor.pageURL ?? firstPageURL(since: cursor.watermark)
        let response: CurlResponse
        do {
            response = try await curl.perform(
                CurlRequest(
                    url: url, headers: [("X-Shopify-Access-Token", accessToken), ("Accept", "application/json")], timeout: .seconds(30),
                    maxResponseBytes: 64 << 20))
        } catch {
            throw SyncFailure(message: error.description, transient: error.isTransient)
        }
        guard response.isSuccess else {
            let wait = response.header("Retry-After").flatMap(Double.init).flatMap {
                ProviderTime.wait(seconds: $0, maximum: .seconds(3600))
            }
            throw SyncFailure(
                message: "orders API answered HTTP \(response.status): \(response.text.prefix(200))",
                retryAfter: response.status == 429 ? (wait ?? .seconds(2)) : wait,
                transient: response.status == 429 || response.status >= 500)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
            let orders = object["orders"] as? [[String: Any]]
        else { throw SyncFailure(message: "orders API answered something other than {\"orders\": [...]}", transient: true) }
        var items: [SyncItem] = []
        var newest: Date?
        for order in orders {
            guard let id = (order["id"] as? NSNumber)?.int64Value, let updated = order["updated_at"] as? String,
                let body = try? JSONSerialization.data(withJSONObject: order)
            else { continue }
            items.append(SyncItem(dedupeKey: "poll:\(id):\(updated)", topic: Self.polledTopic, body: Array(body)))
            if let date = ShopifyDate.parse(updated), date > (newest ?? .distantPast) { newest = date }
        }
        return SyncPage(
            items: items, nextPageURL: Self.nextLink(response.header("Link")), newest: newest,
            pauseBeforeNext: Self.pause(callLimit: response.header("X-Shopify-Shop-Api-Call-Limit")))
    }

    func firstPageURL(since watermark: Date?) -> String {
        var url = "\(apiBase)/admin/api/\(apiVersion)/orders.json?status=any&limit=\(pageSize)&order=updated_at+asc"
        if let watermark {
            url += "&updated_at_min=" + PercentEncoding.component(ShopifyDate.format(watermark.addingTimeInterval(-overlap)))
        }
        return url
    }

    /// The `rel="next"` URL of a `Link` header, verbatim.
    static func nextLink(_ header: String?) -> String? {
        guard let header else { return nil }
        for link in header.split(separator: ",") {
            let pieces = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">"),
                pieces.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == #"rel="next""# })
            else { continue }
            return String(target.dropFirst().dropLast())
        }
        return nil
    }

    /// The leaky bucket leaks about 2 calls a second; past three quarters full, wait for it.
    static func pause(callLimit: String?) -> Duration? {
        guard let callLimit, let slash = callLimit.firstIndex(of: "/"), let used = Double(callLimit[..<slash]),
            let size = Double(callLimit[callLimit.index(after: slash)...]), size > 0, used / size >= 0.75
        else { return nil }
        return ProviderTime.wait(seconds: (used - size * 0.5) / 2, maximum: .seconds(600))
    }
}
