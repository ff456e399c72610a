import Foundation
import HubStorage
import Logging
import ServiceLifecycle

/// Folds response and resolution times into the report buckets as they are recorded (woken by
/// each commit), so dashboards are fresh within a second of the reply.
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
            try await aggregator.step() > 0
        }
    }
}
