package import struct Foundation.Date

/// How current a channel is: when it last heard a webhook, when its last poll ran and
/// succeeded, its watermark, and the last error.
package struct ChannelSyncStatus: Sendable, Hashable, Codable {
    package var channelID: ChannelID
    package var kind: String
    package var lastWebhookAt: Date?
    package var lastPollStartedAt: Date?
    package var lastPollSucceededAt: Date?
    /// Everything the shop changed before this instant (minus the overlap) is in the hub.
    package var watermark: Date?
    /// Whether a pass stopped mid-way and will resume from a committed page.
    package var resumingPage: Bool
    package var lastError: String?
    package var lastErrorAt: Date?
    package var pollInterval: Duration?

    package init(
        channelID: ChannelID, kind: String, lastWebhookAt: Date?, lastPollStartedAt: Date?, lastPollSucceededAt: Date?, watermark: Date?,
        resumingPage: Bool, lastError: String?, lastErrorAt: Date?, pollInterval: Duration?
    ) {
        self.channelID = channelID
        self.kind = kind
        self.lastWebhookAt = lastWebhookAt
        self.lastPollStartedAt = lastPollStartedAt
        self.lastPollSucceededAt = lastPollSucceededAt
        self.watermark = watermark
        self.resumingPage = resumingPage
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.pollInterval = pollInterval
    }

    private enum CodingKeys: String, CodingKey {
        case channelID = "channel"
        case kind
        case lastWebhookAt = "last_webhook_at"
        case lastPollStartedAt = "last_poll_started_at"
        case lastPollSucceededAt = "last_poll_succeeded_at"
        case watermark
        case resumingPage = "resuming_page"
        case lastError = "last_error"
        case lastErrorAt = "last_error_at"
        case pollIntervalSeconds = "poll_interval_seconds"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(channelID, forKey: .channelID)
        try container.encode(kind, forKey: .kind)
        try container.encode(lastWebhookAt, forKey: .lastWebhookAt)
        try container.encode(lastPollStartedAt, forKey: .lastPollStartedAt)
        try container.encode(lastPollSucceededAt, forKey: .lastPollSucceededAt)
        try container.encode(watermark, forKey: .watermark)
        try container.encode(resumingPage, forKey: .resumingPage)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(lastErrorAt, forKey: .lastErrorAt)
        try container.encode(pollInterval.map { $0.components.seconds }, forKey: .pollIntervalSeconds)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        channelID = try container.decode(ChannelID.self, forKey: .channelID)
        kind = try container.decode(String.self, forKey: .kind)
        lastWebhookAt = try container.decodeIfPresent(Date.self, forKey: .lastWebhookAt)
        lastPollStartedAt = try container.decodeIfPresent(Date.self, forKey: .lastPollStartedAt)
        lastPollSucceededAt = try container.decodeIfPresent(Date.self, forKey: .lastPollSucceededAt)
        watermark = try container.decodeIfPresent(Date.self, forKey: .watermark)
        resumingPage = try container.decode(Bool.self, forKey: .resumingPage)
        lastError = try container.decodeIfPresent(String.self, forKey: .lastError)
        lastErrorAt = try container.decodeIfPresent(Date.self, forKey: .lastErrorAt)
        pollInterval = try container.decodeIfPresent(Int64.self, forKey: .pollIntervalSeconds).map { .seconds($0) }
    }
}
