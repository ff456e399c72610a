import Foundation
import HubStorage
import Logging
import ServiceLifecycle

/// Folds response and resolution times into the report buckets as they are recorded, and redoes
/// the per-dimension rollups of the hours that changed (woken by each commit), so reports are
/// fresh within a second or two of the change.
final class AnalyticsService: Service, Sendable {
    let aggregator: DurationAggregator
    let logger: Logger
    let tick: Duration

    init(aggregator: DurationAggregator, logger: Logger, tick: Duration) {
        self.aggregator = aggregator
        self.logger = logger
        self.tick = tick
    }

    func run() async throws {
        await EventFollower.follow(bell: aggregator.bell, tick: tick, logger: logger, name: "analytics") { [aggregator] in
            let folded = try await aggregator.step()
            let rolled = try await aggregator.rollUp()
            return folded + rolled > 0
        }
    }
}
