import Foundation
import HubCore
import HubStorage
import Hummingbird
import Logging

/// `/api/v1/webhooks`: the manifest's outbound endpoints and their deliveries.
struct WebhooksController: Sendable {
    let webhooks: [OutboundWebhook]
    let deliveries: WebhookDeliveryStore
    /// `nil` when the manifest declares no webhooks.
    let dispatcher: WebhookDispatcher?

    /// `GET /api/v1/webhooks`.
    func list(_ request: Request, context: HubRequestContext) -> WebhookList {
        WebhookList(webhooks: webhooks.map { WebhookSummary(id: $0.id, url: $0.url, events: $0.events) })
    }

    /// `GET /api/v1/webhooks/{id}/deliveries?state=&limit=`.
    func deliveries(_ request: Request, context: HubRequestContext) async throws -> DeliveryList {
        let webhook = try webhook(context)
        let state = try request.oneOf("state", ["pending", "sending", "delivered", "dead"])
        let limit = try request.limit(default: 100, maximum: 500)
        return DeliveryList(deliveries: try await deliveries.deliveries(webhookID: webhook.id, state: state, limit: limit))
    }

    /// `POST /api/v1/webhooks/{id}/deliveries/{delivery}/replay`: a dead or delivered delivery is sent again.
    func replay(_ request: Request, context: HubRequestContext) async throws -> Answer<WebhookDeliveryView> {
        let webhook = try webhook(context)
        let deliveryID = try context.parameters.id("delivery", resource: "delivery")
        guard let delivery = try await deliveries.replay(webhookID: webhook.id, deliveryID: deliveryID, now: Date()) else {
            throw HubError.notFound("unknown_delivery", "no delivery with that id for webhook '\(webhook.id)'")
        }
        guard delivery.state == "pending" else {
            throw HubError.conflict("not_replayable", "only a dead or delivered delivery can be replayed; this one is \(delivery.state)")
        }
        dispatcher?.wake()
        context.logger.notice("webhook delivery replayed", metadata: ["webhook": .string(webhook.id), "delivery": "\(deliveryID)"])
        return Answer(delivery, status: .accepted)
    }

    private func webhook(_ context: HubRequestContext) throws -> OutboundWebhook {
        let id = try context.parameters.text("id")
        guard let webhook = webhooks.first(where: { $0.id == id }) else {
            throw HubError.notFound("unknown_webhook", "no webhook '\(id)' in the manifest")
        }
        return webhook
    }
}

struct WebhookList: ResponseEncodable {
    var webhooks: [WebhookSummary]
}

struct DeliveryList: ResponseEncodable {
    var deliveries: [WebhookDeliveryView]
}

struct WebhookSummary: Encodable {
    var id: String
    var url: String
    var events: [String]
}
