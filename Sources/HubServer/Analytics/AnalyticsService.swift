import Foundation
import HubStorage
import Logging
import ServiceLifecycle

/// Folds response and resolution times into the report buckets as they are recorded, and redoes
/// the per-dimension rollups of the hours that changed, so reports are fresh within a second or
/// two of the change.
///
/// Under load every commit rings the bell; a pass on each would take the single writer from the
/// processing stage over and over. Passes are therefore at least `pace` apart, and a pass that
/// finds nothing waiting (a read) takes no write transaction at all.
final class AnalyticsService: Service, Sendable {
    let aggregator: DurationAggregator
    let logger: Logger
    let tick: Duration
    let pace: Duration

    init(aggregator: DurationAggregator, logger: Logger, tick: Duration, pace: Duration = .seconds(1)) {
        self.aggregator = aggregator
        self.logger = logger
        self.tick = tick
        self.pace = pace
    }

    func run() async throws {
        let clock = ContinuousClock()
        await cancelWhenGracefulShutdown { [aggregator, logger, tick, pace] in
            while !Task.isCancelled {
                let rings = aggregator.bell.rings
                let started = clock.now
                do {
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
