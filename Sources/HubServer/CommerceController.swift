import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/api/v1` routes for orders and for how current a channel's data is.
struct CommerceController {
    let hub: Hub

    func register(on router: Router<HubRequestContext>) {
        let api = router.group("api/v1").add(middleware: AgentAuthMiddleware(agents: hub.manifest.agents))
        api.get("customers/{id}/orders") { request, context in
            let id = try context.parameters.id("id", resource: "customer")
            let requested = try request.integerQuery("limit") ?? 50
            guard requested >= 1 else { throw HubError.badRequest("invalid_parameter", "'limit' must be at least 1") }
            guard let found = try await hub.orders.orders(customerID: id, limit: Int(min(requested, 200))) else {
                throw HubError.notFound("unknown_customer", "no customer with that id")
            }
            return try JSONResponse.make(CustomerOrders(customerID: found.customer, orders: found.orders))
        }
        api.get("channels/{channel}/status") { _, context in
            let channelID = try context.parameters.require("channel")
            guard let channel = hub.manifest.channel(channelID) else {
                throw HubError.notFound("unknown_channel", "no channel '\(channelID)' in the manifest")
            }
            let interval = (hub.adapters[channelID] as? any SyncingAdapter)?.pollInterval
            return try JSONResponse.make(try await hub.syncState.status(channelID: channelID, kind: channel.kind, pollInterval: interval))
        }
    }
}

struct CustomerOrders: Encodable {
    var customerID: CustomerID
    var orders: [OrderView]

    enum CodingKeys: String, CodingKey {
        case customerID = "customer"
        case orders
    }
}
