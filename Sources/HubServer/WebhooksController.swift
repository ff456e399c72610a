import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/api/v1/webhooks`: the manifest's outbound endpoints and their deliveries.
struct WebhooksController {
    let hub: Hub

    func register(on api: RouterGroup<HubRequestContext>) {
        api.get("webhooks") { _, _ in
            try JSONResponse.make(["webhooks": hub.manifest.webhooks.map { WebhookSummary(id: $0.id, url: $0.url, events: $0.events) }])
        }
        api.get("webhooks/{id}/deliveries") { request, context in
            let webhook = try webhook(context)
            let state = request.uri.queryParameters["state"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            if let state, !["pending", "sending", "delivered", "dead"].contains(state) {
                throw HubError.badRequest("invalid_parameter", "'state' must be pending, sending, delivered or dead")
            }
            let limit = Int(min(max(try request.integerQuery("limit") ?? 100, 1), 500))
            return try JSONResponse.make(
                ["deliveries": try await hub.webhookDeliveries.deliveries(webhookID: webhook.id, state: state, limit: limit)])
        }
        api.post("webhooks/{id}/deliveries/{delivery}/replay") { _, context in
            let webhook = try webhook(context)
            let deliveryID = try context.parameters.id("delivery", resource: "delivery")
            guard let delivery = try await hub.webhookDeliveries.replay(webhookID: webhook.id, deliveryID: deliveryID, now: Date()) else {
                throw HubError.notFound("unknown_delivery", "no delivery with that id for webhook '\(webhook.id)'")
            }
            guard delivery.state == "pending" else {
                throw HubError.conflict(
                    "not_replayable", "only a dead or delivered delivery can be replayed; this one is \(delivery.state)")
            }
            hub.webhookDispatcher?.wake()
            context.logger.notice(
                "webhook delivery replayed", metadata: ["webhook": .string(webhook.id), "delivery": "\(deliveryID)"])
            return try JSONResponse.make(delivery, status: .accepted)
        }
    }

    private func webhook(_ context: HubRequestContext) throws -> OutboundWebhook {
        let id = try context.parameters.require("id")
        guard let webhook = hub.manifest.webhooks.first(where: { $0.id == id }) else {
            throw HubError.notFound("unknown_webhook", "no webhook '\(id)' in the manifest")
        }
        return webhook
    }
}

struct WebhookSummary: Encodable {
    var id: String
    var url: String
    var events: [String]
}
