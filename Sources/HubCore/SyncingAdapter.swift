package import struct Foundation.Date

/// A channel that can also pull what its webhooks deliver (a shop's orders), so that
/// a periodic pass repairs whatever webhooks missed. Pulled items go through the same
/// inbox and pipeline as webhooks.
package protocol SyncingAdapter: ChannelAdapter {
    /// How often the hub runs a pass in the background; `nil` when it does not.
    var pollInterval: Duration? { get }

    /// Fetches the page at `cursor`: the first page of a pass when `cursor.pageURL` is
    /// `nil` (everything updated since `cursor.watermark`), else the page it names.
    func fetchPage(_ cursor: SyncCursor) async throws(SyncFailure) -> SyncPage
}

/// Where a sync pass is. Committed after each page's items are durable, so a pass that
/// fails mid-way resumes at the page it had not finished.
package struct SyncCursor: Sendable, Hashable, Codable {
    /// Items updated at or after this instant are fetched (minus the adapter's overlap).
    package var watermark: Date?
    /// The next page of the current pass, exactly as the provider gave it.
    package var pageURL: String?
    /// The newest `updated_at` seen in the current pass; becomes the watermark when it ends.
    package var passHighWater: Date?
    /// A provider position kept across passes (a mailbox's `UIDVALIDITY:last UID`).
    package var position: String?

    package init(watermark: Date? = nil, pageURL: String? = nil, passHighWater: Date? = nil, position: String? = nil) {
        self.watermark = watermark
        self.pageURL = pageURL
        self.passHighWater = passHighWater
        self.position = position
    }
}

/// One page of pulled items.
package struct SyncPage: Sendable {
    package var items: [SyncItem]
    /// The next page's URL; `nil` on the last page of the pass.
    package var nextPageURL: String?
    /// The newest `updated_at` among the items.
    package var newest: Date?
    /// How long to wait before the next request, when the provider's rate-limit header
    /// says its bucket is nearly full.
    package var pauseBeforeNext: Duration?
    /// The provider position after this page, committed with it.
    package var position: String?

    package init(items: [SyncItem], nextPageURL: String?, newest: Date?, pauseBeforeNext: Duration? = nil, position: String? = nil) {
        self.items = items
        self.nextPageURL = nextPageURL
        self.newest = newest
        self.pauseBeforeNext = pauseBeforeNext
        self.position = position
    }
}

/// One pulled payload, stored in the inbox like a webhook delivery.
package struct SyncItem: Sendable {
    /// Unique per item version, so that pulling an unchanged item again is a duplicate.
    package var dedupeKey: String
    package var topic: String
    package var body: [UInt8]

    package init(dedupeKey: String, topic: String, body: [UInt8]) {
        self.dedupeKey = dedupeKey
        self.topic = topic
        self.body = body
    }
}

/// Why a page could not be fetched.
package struct SyncFailure: Error, Sendable, CustomStringConvertible {
    package var message: String
    /// The provider's requested wait (a 429's `Retry-After`).
    package var retryAfter: Duration?
    /// Whether trying the same page again may succeed.
    package var transient: Bool

    package init(message: String, retryAfter: Duration? = nil, transient: Bool) {
        self.message = message
        self.retryAfter = retryAfter
        self.transient = transient
    }

    package var description: String { message }
}
