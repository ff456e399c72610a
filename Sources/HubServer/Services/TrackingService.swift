import Foundation
import HubCore
import HubStorage
import Logging
import ServiceLifecycle

/// Follows parcels from fulfilments through the manifest's tracking channel: subscribes
/// each for pushes, or queries it at the channel's interval when its carrier does not
/// push. Query results go through the inbox like pushes.
final class TrackingService: Service, Sendable {
    private let adapter: (any TrackingAdapter)?
    private let store: TrackingStore
    private let pipeline: InboxPipeline
    private let logger: Logger
    private let tick: Duration

    init(adapter: (any TrackingAdapter)?, store: TrackingStore, pipeline: InboxPipeline, logger: Logger, tick: Duration) {
        self.adapter = adapter
        self.store = store
        self.pipeline = pipeline
        self.logger = logger
        self.tick = tick
    }

    func run() async throws {
        if let adapter {
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await self.followDue(adapter)
                    try? await Task.sleep(for: self.tick)
                }
            }
        }
        try? await gracefulShutdown()
    }

    func followDue(_ adapter: any TrackingAdapter) async {
        let jobs: [TrackingJob]
        do {
            jobs = try await store.due(now: Date(), limit: 32)
        } catch {
            logger.error("cannot read tracking subscriptions", metadata: ["error": "\(error)"])
            return
        }
        for job in jobs {
            await follow(job, with: adapter)
        }
    }

    private func follow(_ job: TrackingJob, with adapter: any TrackingAdapter) async {
        let number = job.shipment.trackingNumber
        let queried = job.state == "polling" || adapter.polls(job.shipment)
        do {
            if queried {
                let item = try await adapter.query(job.shipment)
                _ = try await pipeline.store(InboxEnvelope(pulled: item, channelID: adapter.channelID))
                try await store.record(
                    number, state: "polling", next: Date().addingTimeInterval(adapter.queryInterval.seconds), error: nil, now: Date())
            } else {
                try await adapter.subscribe(job.shipment)
                // Pushes come from now on; nothing is due for this parcel again.
                try await store.record(number, state: "subscribed", next: .distantFuture, error: nil, now: Date())
            }
        } catch {
            let message = (error as? SyncFailure)?.message ?? "\(error)"
            var generator = SystemRandomNumberGenerator()
            let wait = Backoff(initial: .seconds(5), maximum: .seconds(3600)).delay(afterAttempt: job.attempts + 1, using: &generator)
            logger.warning(
                "parcel tracking failed; will retry",
                metadata: [
                    "channel": .string(adapter.channelID), "attempt": "\(job.attempts + 1)", "error": .string(LogRedaction.redact(message)),
                ])
            try? await store.record(number, state: job.state, next: Date().addingTimeInterval(wait.seconds), error: message, now: Date())
        }
    }
}
