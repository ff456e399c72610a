import Foundation
import HubStorage
import Logging
import ServiceLifecycle

/// Folds response and resolution times into the report buckets as they are recorded, redoes the
/// per-dimension rollups of the hours that changed, so reports are fresh within a second or two of
/// the change, and samples every online agent's load each minute (occupancy over a range).
///
/// Under load every commit rings the bell; a pass on each would take the single writer from the
/// processing stage over and over. Passes are therefore at least `pace` apart, and a pass that
/// finds nothing waiting (a read) takes no write transaction at all.
final class AnalyticsService: Service, Sendable {
    let aggregator: DurationAggregator
    let sampler: AgentLoadSampler
    let logger: Logger
    let tick: Duration
    let pace: Duration
    /// How often every online agent's load is sampled for the occupancy over a range.
    let sampleEvery: Duration

    init(
        aggregator: DurationAggregator, sampler: AgentLoadSampler, logger: Logger, tick: Duration, pace: Duration = .seconds(1),
        sampleEvery: Duration = .seconds(60)
    ) {
        self.aggregator = aggregator
        self.sampler = sampler
        self.sampleEvery = sampleEvery
        self.logger = logger
        self.tick = tick
        self.pace = pace
    }

    func run() async throws {
        let clock = ContinuousClock()
        await cancelWhenGracefulShutdown { [aggregator, sampler, logger, tick, pace, sampleEvery] in
            var sampled: ContinuousClock.Instant?
            while !Task.isCancelled {
                let rings = aggregator.bell.rings
                let started = clock.now
                do {
                    if sampled.map({ started - $0 >= sampleEvery }) ?? true {
                        try await sampler.sample(at: Date())
                        sampled = started
                    }
                    while try await aggregator.pass() {}
                } catch {
                    logger.error("analytics cannot fold the metric facts", metadata: ["error": "\(error)"])
                }
                await aggregator.bell.wait(after: rings, timeout: tick)
                try? await clock.sleep(until: started.advanced(by: pace))
            }
        }
    }
}
