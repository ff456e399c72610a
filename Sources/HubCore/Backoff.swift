/// Exponential backoff with jitter, for retrying sends to a provider.
package struct Backoff: Sendable, Hashable {
    package var initial: Duration
    package var maximum: Duration

    package init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failures (1-based):
    /// a random duration between half and all of `initial · 2^(attempt-1)`, capped
    /// at `maximum`. The random half spreads retries so that many failures at once
    /// do not return together.
    package func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(initial * (1 << exponent), maximum)
        let milliseconds = max(ceiling.milliseconds, 1)
        let jittered = Int64.random(in: (milliseconds / 2)...milliseconds, using: &generator)
        return .milliseconds(jittered)
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole milliseconds in the duration.
    package var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
