import struct Foundation.Date

// `message.*`, `conversation.*` and `customer.created` are written by hand in storage, once per
// message (HubStorage `EventLog.messageJSON` and its neighbours); the rarer events are these types.

/// `customer.merged` and `customer.unmerged`.
public struct MergeEventData: Sendable, Hashable, Codable {
    public var merge: Int64
    public var survivor: CustomerID
    public var absorbed: CustomerID
    public var actor: String
    public var rule: String?

    public init(merge: Int64, survivor: CustomerID, absorbed: CustomerID, actor: String, rule: String?) {
        self.merge = merge
        self.survivor = survivor
        self.absorbed = absorbed
        self.actor = actor
        self.rule = rule
    }
}

/// `order.upserted`: the order as stored, with whether it is new.
public struct OrderEventData: Sendable, Hashable, Codable {
    public var order: OrderView
    public var customer: CustomerID
    public var created: Bool

    public init(order: OrderView, customer: CustomerID, created: Bool) {
        self.order = order
        self.customer = customer
        self.created = created
    }
}

/// `shipment.updated`: a fulfilment's status or a parcel's newest scan.
public struct ShipmentEventData: Sendable, Hashable, Codable {
    public var channel: ChannelID
    public var order: String?
    public var customer: CustomerID?
    public var trackingNumber: String?
    public var carrier: String?
    public var status: String
    public var detail: String?
    public var at: Date

    public init(
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
public struct DeadLetterEventData: Sendable, Hashable, Codable {
    public var outbox: OutboxID
    public var message: MessageID
    public var channel: ChannelID
    public var conversation: ConversationID
    public var error: String

    public init(outbox: OutboxID, message: MessageID, channel: ChannelID, conversation: ConversationID, error: String) {
        self.outbox = outbox
        self.message = message
        self.channel = channel
        self.conversation = conversation
        self.error = error
    }
}
