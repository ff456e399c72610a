import HubCore
import HubStorage
import Hummingbird

/// `/api/v1/customers`: search, the merged profile, its timeline and its orders.
struct CustomersController: Sendable {
    let customers: CustomerStore
    let orders: OrderStore
    /// Which conversations the caller may see: an agent's timeline leaves out other teams' conversations.
    let work: WorkStore

    /// `GET /api/v1/customers?q=&limit=`.
    func search(_ request: Request, context: HubRequestContext) async throws -> CustomerList {
        let found = try await customers.search(request.query("q") ?? "", limit: try request.limit(default: 50, maximum: 200))
        let seesPII = try context.caller().allows(.piiReveal)
        return CustomerList(customers: seesPII ? found : found.map { $0.masked() })
    }

    /// `GET /api/v1/customers/{id}`.
    /// Phones, e-mails, addresses and payment references are masked without `pii.reveal`.
    func profile(_ request: Request, context: HubRequestContext) async throws -> CustomerProfile {
        let profile = try await profile(context)
        return try context.caller().allows(.piiReveal) ? profile : profile.masked()
    }

    /// `GET /api/v1/customers/{id}/timeline?before=&limit=`: newest first, across every channel.
    func timeline(_ request: Request, context: HubRequestContext) async throws -> TimelinePage {
        let customer = try await profile(context)
        var cursor: TimelineCursor?
        if let before = request.filledQuery("before") {
            guard let parsed = TimelineCursor(token: before) else {
                throw HubError.badRequest("invalid_parameter", "'before' must be the 'next' value of a previous page")
            }
            cursor = parsed
        }
        var page = try await customers.timeline(
            customerID: customer.id, limit: try request.limit(default: 50, maximum: 200), before: cursor)
        let viewer = try context.caller().viewer
        if !viewer.seesAll {
            // The page keeps its cursor, so paging goes on past what was left out.
            let hidden = try await work.hidden(Set(page.events.compactMap(\.conversationID)), from: viewer)
            page.events.removeAll { $0.conversationID.map(hidden.contains) ?? false }
        }
        return page
    }

    /// `GET /api/v1/customers/{id}/orders?limit=`.
    func orders(_ request: Request, context: HubRequestContext) async throws -> CustomerOrders {
        let id = try context.parameters.id("id", resource: "customer")
        let limit = try request.limit(default: 50, maximum: 200)
        guard let found = try await orders.orders(customerID: id, limit: limit) else {
            throw HubError.notFound("unknown_customer", "no customer with that id")
        }
        return CustomerOrders(customerID: found.customer, orders: found.orders)
    }

    private func profile(_ context: HubRequestContext) async throws -> CustomerProfile {
        guard let profile = try await customers.profile(id: try context.parameters.id("id", resource: "customer")) else {
            throw HubError.notFound("unknown_customer", "no customer with that id")
        }
        return profile
    }
}

struct CustomerList: ResponseEncodable {
    var customers: [CustomerProfile]
}

struct CustomerOrders: ResponseEncodable {
    var customerID: CustomerID
    var orders: [OrderView]

    enum CodingKeys: String, CodingKey {
        case customerID = "customer"
        case orders
    }
}
