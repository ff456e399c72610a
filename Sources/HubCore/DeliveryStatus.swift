/// Where an outbound message is on its way to the customer.
///
/// Providers report status late, twice and out of order, so status only moves
/// forward: ``advanced(to:)`` ignores a regression.
package enum DeliveryStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Inbound messages: stored, nothing to deliver.
    case received
    /// Queued in the outbox, not yet accepted by the channel.
    case pending
    /// Accepted by the channel or provider.
    case sent
    /// Reached the customer's device or open session.
    case delivered
    /// Seen by the customer.
    case read
    /// Given up on; the outbox entry holds the reason.
    case failed

    private var rank: Int {
        switch self {
        case .received, .pending: 0
        case .sent: 1
        case .delivered: 2
        case .read: 3
        case .failed: 1
        }
    }

    /// The status after a report of `next`: the later of the two, so that a late
    /// or repeated report never moves a message back.
    package func advanced(to next: DeliveryStatus) -> DeliveryStatus {
        if self == next { return self }
        // A failure report after acceptance is real news (e.g. undelivered SMS),
        // but never overrides proof that the customer got the message.
        if next == .failed { return rank >= DeliveryStatus.delivered.rank ? self : .failed }
        if self == .failed { return next.rank >= DeliveryStatus.delivered.rank ? next : self }
        return next.rank > rank ? next : self
    }
}
