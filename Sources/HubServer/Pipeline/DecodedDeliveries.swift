import HubCore
import Synchronization

/// Events an adapter decoded while checking a delivery, held until the processing stage
/// takes them, so that a delivery is parsed once. Bounded: when it is full (a backlog the
/// stage has not reached), the stage decodes the stored payload instead.
final class DecodedDeliveries: Sendable {
    private let capacity: Int
    private let entries = Mutex<[String: [InboundEvent]]>([:])

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    private static func key(_ channelID: ChannelID, _ dedupeKey: String) -> String {
        channelID + "\u{0}" + dedupeKey
    }

    /// Keeps the events of a delivery about to be stored.
    func keep(_ events: [InboundEvent], channelID: ChannelID, dedupeKey: String) {
        entries.withLock { entries in
            guard entries.count < capacity else { return }
            entries[Self.key(channelID, dedupeKey)] = events
        }
    }

    /// Takes the events of a stored delivery, if they were kept.
    func take(channelID: ChannelID, dedupeKey: String) -> [InboundEvent]? {
        entries.withLock { $0.removeValue(forKey: Self.key(channelID, dedupeKey)) }
    }

    /// Forgets a delivery that was not stored (a duplicate, or a failed write).
    func forget(channelID: ChannelID, dedupeKey: String) {
        _ = take(channelID: channelID, dedupeKey: dedupeKey)
    }
}
