/// Exponential backoff with jitter, for retrying sends to a provider.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failures (1-based):
    /// a random duration between half and all of `initial · 2^(attempt-1)`, capped
    /// at `maximum`. The random half spreads retries so that many failures at once
    /// do not return together.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(initial * (1 << exponent), maximum)
        let milliseconds = max(ceiling.milliseconds, 1)
        let jittered = Int64.random(in: (milliseconds / 2)...milliseconds, using: &generator)
        return .milliseconds(jittered)
    }
}

extension Duration {
    /// Whole milliseconds in the duration.
    /// The duration in seconds, fractions included.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
