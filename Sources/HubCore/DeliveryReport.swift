package import struct Foundation.Date

/// A provider's status callback for a message the hub sent.
///
/// Callbacks come late, twice and out of order, so each carries the provider's own
/// `rank` for its status: a report that does not rank above the last one applied
/// for the message is ignored.
package struct DeliveryReport: Sendable, Hashable {
    /// The provider's id for the message, as its send API returned it.
    package var providerMessageID: String
    /// The hub's coarse status for the report.
    package var status: DeliveryStatus
    /// The provider's own word for it, e.g. `undelivered`.
    package var providerStatus: String
    /// Position in the provider's status order (Twilio: queued 1 … delivered 4, read 5).
    package var rank: Int
    /// The provider's error code on failure, e.g. `30003`.
    package var errorCode: String?
    package var reportedAt: Date

    package init(
        providerMessageID: String, status: DeliveryStatus, providerStatus: String, rank: Int, errorCode: String? = nil, reportedAt: Date
    ) {
        self.providerMessageID = providerMessageID
        self.status = status
        self.providerStatus = providerStatus
        self.rank = rank
        self.errorCode = errorCode
        self.reportedAt = reportedAt
    }

    /// What an agent reads next to the message, e.g. `undelivered (30003)`.
    package var detail: String {
        errorCode.map { "\(providerStatus) (\($0))" } ?? providerStatus
    }
}
