package import struct Foundation.Date

/// One event on a customer's timeline.
package struct TimelineEntry: Sendable, Hashable, Codable {
    package var id: Int64
    package var channelID: ChannelID
    package var kind: String
    package var occurredAt: Date
    package var conversationID: ConversationID?
    package var summary: String
    /// The message, for message events.
    package var message: MessageView?

    package init(
        id: Int64, channelID: ChannelID, kind: String, occurredAt: Date, conversationID: ConversationID?, summary: String,
        message: MessageView?
    ) {
        self.id = id
        self.channelID = channelID
        self.kind = kind
        self.occurredAt = occurredAt
        self.conversationID = conversationID
        self.summary = summary
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case channelID = "channel"
        case kind
        case occurredAt = "at"
        case conversationID = "conversation"
        case summary, message
    }
}

/// A page of a timeline, newest first; `next` continues it.
package struct TimelinePage: Sendable, Hashable, Codable {
    /// The customer whose (merged) timeline this is: the survivor when the id asked for was merged away.
    package var customerID: CustomerID?
    package var events: [TimelineEntry]
    /// Pass as `before` to read the next (older) page; `nil` at the end.
    package var next: String?

    package init(customerID: CustomerID? = nil, events: [TimelineEntry], next: String?) {
        self.customerID = customerID
        self.events = events
        self.next = next
    }

    private enum CodingKeys: String, CodingKey {
        case customerID = "customer"
        case events, next
    }
}

/// A position in a timeline: events strictly older than it come next.
package struct TimelineCursor: Sendable, Hashable {
    package var occurredAtMilliseconds: Int64
    package var eventID: Int64

    package init(occurredAtMilliseconds: Int64, eventID: Int64) {
        self.occurredAtMilliseconds = occurredAtMilliseconds
        self.eventID = eventID
    }

    /// Parses the opaque `before` parameter; `nil` when malformed.
    package init?(token: String) {
        let pieces = token.split(separator: "_")
        guard pieces.count == 2, let time = Int64(pieces[0]), let id = Int64(pieces[1]) else { return nil }
        self.init(occurredAtMilliseconds: time, eventID: id)
    }

    package var token: String { "\(occurredAtMilliseconds)_\(eventID)" }
}
