import HubCore

/// Token buckets by key for one family of requests (`/api`, `/hooks`, logins), all of one shape.
/// Buckets that filled up again are forgotten when the table grows, so a flood of distinct keys
/// costs memory only while those keys are actually limited.
actor RateLimiter {
    let limit: RateLimit
    private var buckets: [String: TokenBucket] = [:]
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    /// The table size at which full buckets are swept.
    private let sweepAt: Int

    init(_ limit: RateLimit, sweepAt: Int = 10_000) {
        self.limit = limit
        self.start = clock.now
        self.sweepAt = sweepAt
    }

    /// Takes a token for `key`: `nil` if allowed, or the seconds to wait (`Retry-After`).
    func take(_ key: String) -> Int? {
        let now = (clock.now - start).seconds
        if buckets.count >= sweepAt { sweep(now: now) }
        var bucket = buckets[key] ?? TokenBucket(limit, now: now)
        let wait = bucket.take(now: now)
        buckets[key] = bucket
        return wait
    }

    private func sweep(now: Double) {
        for (key, var bucket) in buckets where bucket.isFull(now: now) { buckets[key] = nil }
    }
}
