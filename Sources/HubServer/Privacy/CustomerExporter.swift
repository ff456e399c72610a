package import Foundation
package import HubCore
package import HubStorage

/// Everything the hub holds about one person (GDPR art. 15 and 20, CCPA's right to know), unmasked:
/// the merged profile with its identities and attributes, every conversation with every message,
/// orders, tickets with their survey answers, and merges. `tributary customers export` and
/// `GET /api/v1/customers/{id}/export` answer the same document.
package struct CustomerExporter: Sendable {
    let customers: CustomerStore
    let conversations: ConversationStore
    let orders: OrderStore
    let tickets: TicketStore
    let identity: IdentityGraphStore

    package init(database: HubDatabase, tickets: TicketStore) {
        self.customers = CustomerStore(database: database)
        self.conversations = ConversationStore(database: database)
        self.orders = OrderStore(database: database)
        self.tickets = tickets
        self.identity = IdentityGraphStore(database: database)
    }

    package struct Export: Sendable, Encodable {
        var exportedAt: Date
        var customer: CustomerProfile
        var conversations: [ExportedConversation]
        var orders: [OrderView]
        var tickets: [TicketView]
        var merges: [MergeView]

        package var customerID: CustomerID { customer.id }

        enum CodingKeys: String, CodingKey {
            case exportedAt = "exported_at"
            case customer, conversations, orders, tickets, merges
        }
    }

    package struct ExportedConversation: Sendable, Encodable {
        var conversation: ConversationSummary
        var messages: [MessageView]
    }

    /// `nil` for an unknown customer.
    package func export(customerID: CustomerID, now: Date) async throws -> Export? {
        guard let profile = try await customers.profile(id: customerID) else { return nil }
        var exported: [ExportedConversation] = []
        for id in try await customers.conversationIDs(customerID: profile.id) {
            guard let summary = try await conversations.conversation(id: id) else { continue }
            var messages: [MessageView] = []
            while true {
                let page = try await conversations.messages(conversationID: id, after: messages.last?.id, limit: 500)
                messages += page
                if page.count < 500 { break }
            }
            exported.append(ExportedConversation(conversation: summary, messages: messages))
        }
        var filter = TicketFilter()
        filter.customer = profile.id
        filter.limit = 10_000
        let ticketList = try await tickets.list(filter, viewer: Viewer(agentID: nil, teams: [], seesAll: true), now: now).items
        return Export(
            exportedAt: now, customer: profile, conversations: exported,
            orders: try await orders.orders(customerID: profile.id, limit: 10_000)?.orders ?? [], tickets: ticketList,
            merges: try await identity.merges(customerID: profile.id) ?? [])
    }

    /// The export as the API and the command line write it.
    package static func json(_ export: Export) throws -> Data {
        try APIJSON.encoder.encode(export)
    }
}
