package import struct Foundation.Date

/// Where a parcel is, in the hub's words.
package enum ShipmentStage: String, Sendable, Hashable, Codable, CaseIterable {
    case pickedUp = "picked_up"
    case inTransit = "in_transit"
    case outForDelivery = "out_for_delivery"
    case delivered
    case exception
    case returned

    /// Whether tracking can stop.
    package var isFinal: Bool { self == .delivered || self == .returned }

    /// For the timeline: `out for delivery`.
    package var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}

/// A tracking provider's trace of one parcel; the checkpoints are the full history
/// each time, so applying it twice adds nothing.
package struct TrackingUpdate: Sendable, Hashable {
    /// The provider's carrier code, e.g. `shunfeng`.
    package var carrier: String
    package var trackingNumber: String
    /// The parcel's stage now.
    package var stage: ShipmentStage?
    package var checkpoints: [TrackingCheckpoint]
    /// The provider stopped tracking (delivered, or given up on).
    package var finished: Bool

    package init(carrier: String, trackingNumber: String, stage: ShipmentStage?, checkpoints: [TrackingCheckpoint], finished: Bool) {
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.stage = stage
        self.checkpoints = checkpoints
        self.finished = finished
    }
}

/// One scan of a parcel: when, where, what the carrier wrote.
package struct TrackingCheckpoint: Sendable, Hashable {
    package var time: Date
    package var stage: ShipmentStage?
    package var text: String
    package var area: String?

    package init(time: Date, stage: ShipmentStage?, text: String, area: String?) {
        self.time = time
        self.stage = stage
        self.text = text
        self.area = area
    }
}

/// A parcel the hub wants followed: from a shop's fulfilment.
package struct TrackedShipment: Sendable, Hashable {
    package var trackingNumber: String
    /// The shop's name for the carrier, e.g. `SF Express`.
    package var carrierName: String?
    /// Some carriers (SF Express) only answer with the phone's last digits.
    package var phone: String?

    package init(trackingNumber: String, carrierName: String?, phone: String?) {
        self.trackingNumber = trackingNumber
        self.carrierName = carrierName
        self.phone = phone
    }
}

/// A channel that follows parcels: subscribes them for pushes, or queries carriers
/// that do not push.
package protocol TrackingAdapter: ChannelAdapter {
    /// Whether `shipment` is followed by querying instead of a push subscription.
    func polls(_ shipment: TrackedShipment) -> Bool
    /// Asks the provider to push this parcel's updates to the hub.
    func subscribe(_ shipment: TrackedShipment) async throws(SyncFailure)
    /// Queries the parcel now; the result is stored in the inbox like a push.
    func query(_ shipment: TrackedShipment) async throws(SyncFailure) -> SyncItem
    /// How often followed-by-query parcels are queried.
    var queryInterval: Duration { get }
}
