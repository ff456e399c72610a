package import struct Foundation.Date

// `message.*`, `conversation.*` and `customer.created` are written by hand in storage, once per
// message (HubStorage `EventLog.messageJSON` and its neighbours); the rarer events are these types.

/// `customer.merged` and `customer.unmerged`.
package struct MergeEventData: Sendable, Hashable, Codable {
    package var merge: Int64
    package var survivor: CustomerID
    package var absorbed: CustomerID
    package var actor: String
    package var rule: String?

    package init(merge: Int64, survivor: CustomerID, absorbed: CustomerID, actor: String, rule: String?) {
        self.merge = merge
        self.survivor = survivor
        self.absorbed = absorbed
        self.actor = actor
        self.rule = rule
    }
}

/// `order.upserted`: the order as stored, with whether it is new.
package struct OrderEventData: Sendable, Hashable, Codable {
    package var order: OrderView
    package var customer: CustomerID
    package var created: Bool

    package init(order: OrderView, customer: CustomerID, created: Bool) {
        self.order = order
        self.customer = customer
        self.created = created
    }
}

/// `shipment.updated`: a fulfilment's status or a parcel's newest scan.
package struct ShipmentEventData: Sendable, Hashable, Codable {
    package var channel: ChannelID
    package var order: String?
    package var customer: CustomerID?
    package var trackingNumber: String?
    package var carrier: String?
    package var status: String
    package var detail: String?
    package var at: Date

    package init(
        channel: ChannelID, order: String?, customer: CustomerID?, trackingNumber: String?, carrier: String?, status: String,
        detail: String?, at: Date
    ) {
        self.channel = channel
        self.order = order
        self.customer = customer
        self.trackingNumber = trackingNumber
        self.carrier = carrier
        self.status = status
        self.detail = detail
        self.at = at
    }

    private enum CodingKeys: String, CodingKey {
        case channel, order, customer, carrier, status, detail, at
        case trackingNumber = "tracking_number"
    }
}

/// `outbox.dead_lettered`.
package struct DeadLetterEventData: Sendable, Hashable, Codable {
    package var outbox: OutboxID
    package var message: MessageID
    package var channel: ChannelID
    package var conversation: ConversationID
    package var error: String

    package init(outbox: OutboxID, message: MessageID, channel: ChannelID, conversation: ConversationID, error: String) {
        self.outbox = outbox
        self.message = message
        self.channel = channel
        self.conversation = conversation
        self.error = error
    }
}
