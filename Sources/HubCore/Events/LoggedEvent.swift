package import struct Foundation.Date

/// One entry of the event log, its data kept as the JSON text it was stored as.
package struct LoggedEvent: Sendable, Hashable {
    package var seq: Int64
    package var type: String
    package var at: Date
    /// The JSON object of the change (the message, the order, …).
    package var data: String

    package init(seq: Int64, type: String, at: Date, data: String) {
        self.seq = seq
        self.type = type
        self.at = at
        self.data = data
    }

    /// `{"seq":…,"type":…,"at":…,"data":{…}}`: the same bytes for the events API, the
    /// stream and outbound webhooks.
    package var json: String {
        "{\"seq\":\(seq),\"type\":\(JSONText.quoted(type)),\"at\":\"\(JSONText.timestamp(at))\",\"data\":\(data)}"
    }
}

/// A page of the log: the events, and the `seq` to continue after.
package struct EventPage: Sendable, Hashable {
    package var events: [LoggedEvent]
    /// The last `seq` this page covered: its last event's, or the head of the log when a
    /// type filter left nothing to return.
    package var next: Int64

    package init(events: [LoggedEvent], next: Int64) {
        self.events = events
        self.next = next
    }
}
