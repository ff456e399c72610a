package import Foundation
package import HubCore

/// A verified inbound payload, ready for the inbox.
package struct InboxEnvelope: Sendable {
    package var channelID: ChannelID
    /// The provider's idempotency key; a second delivery with the same key is a duplicate.
    package var dedupeKey: String
    package var contentType: String?
    /// What the delivery is, from its headers (a Shopify topic); `nil` when the body says.
    package var topic: String?
    package var payload: [UInt8]
    package var receivedAt: Date
    /// A web chat visitor first seen in this payload, registered in the same transaction.
    package var newVisitor: WebVisitor?
    /// The client's id of the message that made ``newVisitor``, remembered with the visitor.
    package var firstClientID: String?

    package init(
        channelID: ChannelID, dedupeKey: String, contentType: String?, topic: String? = nil, payload: [UInt8], receivedAt: Date,
        newVisitor: WebVisitor? = nil, firstClientID: String? = nil
    ) {
        self.firstClientID = firstClientID
        self.channelID = channelID
        self.dedupeKey = dedupeKey
        self.contentType = contentType
        self.topic = topic
        self.payload = payload
        self.receivedAt = receivedAt
        self.newVisitor = newVisitor
    }
}

extension InboxEnvelope {
    /// An item a channel pulled (a polled order, a queried parcel), stored like a webhook delivery.
    package init(pulled item: SyncItem, channelID: ChannelID, at time: Date = Date()) {
        self.init(
            channelID: channelID, dedupeKey: item.dedupeKey, contentType: "application/json", topic: item.topic, payload: item.body,
            receivedAt: time)
    }
}

/// A web chat visitor: the public id used as thread key and the secret token that resumes it.
package struct WebVisitor: Sendable, Hashable {
    package var id: String
    package var channelID: ChannelID
    package var token: String

    package init(id: String, channelID: ChannelID, token: String) {
        self.id = id
        self.channelID = channelID
        self.token = token
    }
}

/// What processing an inbox entry produced; stored with the entry so that a
/// duplicate delivery can be answered exactly like the first.
package struct IngestResult: Sendable, Hashable, Codable {
    package var inboxID: Int64
    package var customerID: CustomerID?
    package var conversationID: ConversationID?
    package var messageIDs: [MessageID]
    /// Orders this payload created, moved to a newer version, or left as they were
    /// (an older or equal version arrived).
    package var orders: OrderChanges

    package init(
        inboxID: Int64, customerID: CustomerID? = nil, conversationID: ConversationID? = nil, messageIDs: [MessageID] = [],
        orders: OrderChanges = OrderChanges()
    ) {
        self.inboxID = inboxID
        self.customerID = customerID
        self.conversationID = conversationID
        self.messageIDs = messageIDs
        self.orders = orders
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inboxID = try container.decode(Int64.self, forKey: .inboxID)
        customerID = try container.decodeIfPresent(CustomerID.self, forKey: .customerID)
        conversationID = try container.decodeIfPresent(ConversationID.self, forKey: .conversationID)
        messageIDs = try container.decode([MessageID].self, forKey: .messageIDs)
        orders = try container.decodeIfPresent(OrderChanges.self, forKey: .orders) ?? OrderChanges()
    }
}

/// Counts of what order snapshots did.
package struct OrderChanges: Sendable, Hashable, Codable {
    package var created = 0
    package var updated = 0
    package var unchanged = 0

    package init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
    }
}

extension IngestResult {
    /// The stored form (read back with `JSONDecoder`), written by hand: once per processed entry.
    var storedJSON: String {
        var orders = JSONText()
        orders.integer("created", Int64(self.orders.created))
        orders.integer("unchanged", Int64(self.orders.unchanged))
        orders.integer("updated", Int64(self.orders.updated))
        var json = JSONText()
        json.integer("conversationID", conversationID)
        json.integer("customerID", customerID)
        json.integer("inboxID", inboxID)
        json.raw("messageIDs", "[" + messageIDs.map(String.init).joined(separator: ",") + "]")
        json.raw("orders", orders.object)
        return json.object
    }
}
