import Foundation

/// One entry of the manifest's `webhooks:`: an integrator's endpoint that receives events
/// from the log, signed as Standard Webhooks.
package struct OutboundWebhook: Sendable, Hashable {
    /// `[a-z0-9-]+`, unique; names the endpoint in the API and in its cursor.
    package var id: String
    package var url: String
    /// Event types delivered; empty means every type.
    package var events: [String]
    /// The `whsec_…` signing secret (base64 after the prefix).
    package var secret: String
    /// The wait before the first retry; each later wait is five times longer, up to 12 hours.
    package var firstRetry: Duration
    /// How long a delivery is retried before it is dead-lettered.
    package var giveUpAfter: Duration
    /// Per-attempt time limit.
    package var timeout: Duration
    package var line: Int

    package init(
        id: String, url: String, events: [String], secret: String, firstRetry: Duration = .seconds(5),
        giveUpAfter: Duration = .seconds(24 * 3600), timeout: Duration = .seconds(10), line: Int = 0
    ) {
        self.id = id
        self.url = url
        self.events = events
        self.secret = secret
        self.firstRetry = firstRetry
        self.giveUpAfter = giveUpAfter
        self.timeout = timeout
        self.line = line
    }

    /// Whether an event of `type` goes to this endpoint.
    package func wants(_ type: String) -> Bool {
        events.isEmpty || events.contains(type)
    }

    /// The wait after failed attempt `attempt` (1-based): 5 s, 25 s, 2 min, 10 min, … capped at 12 h;
    /// `nil` once the delivery has been retried for `giveUpAfter` since `elapsed` began.
    package func retryDelay(afterAttempt attempt: Int, elapsed: Duration) -> Duration? {
        guard elapsed < giveUpAfter else { return nil }
        var delay = firstRetry
        let cap = Duration.seconds(12 * 3600)
        for _ in 1..<max(attempt, 1) where delay < cap {
            delay = min(delay * 5, cap)
        }
        return delay
    }
}

extension OutboundWebhook {
    /// The key bytes of a `whsec_` secret; `nil` when it is not one (too short, not base64).
    package static func secretKey(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_") else { return nil }
        guard let data = Data(base64Encoded: String(secret.dropFirst("whsec_".count))), data.count >= 24 else { return nil }
        return Array(data)
    }
}
