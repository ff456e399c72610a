import Foundation
import HubCore
import HubStorage
import Logging
import ServiceLifecycle

/// Delivers outbox entries through their channel's adapter, retrying failures with
/// exponential backoff and jitter and dead-lettering them after the manifest's
/// `outbox.max_attempts`.
final class OutboxDispatcher: Service, Sendable {
    private let outbox: OutboxStore
    private let adapters: [ChannelID: any ChannelAdapter]
    private let settings: OutboxSettings
    private let logger: Logger
    private let signal = WakeSignal()
    /// How often due retries are looked for when nothing wakes the dispatcher.
    private let tick: Duration

    init(
        outbox: OutboxStore, adapters: [ChannelID: any ChannelAdapter], settings: OutboxSettings, logger: Logger,
        tick: Duration = .milliseconds(500)
    ) {
        self.outbox = outbox
        self.adapters = adapters
        self.settings = settings
        self.logger = logger
        self.tick = tick
    }

    /// Asks for a delivery round now, e.g. right after a reply was queued.
    func wake() {
        signal.wake()
    }

    func run() async throws {
        let requeued = try await outbox.requeueInterrupted()
        if requeued > 0 { logger.notice("requeued sends interrupted by a stop", metadata: ["count": "\(requeued)"]) }
        await withGracefulShutdownHandler {
            await signal.rounds(every: tick) { await deliverDue() }
        } onGracefulShutdown: {
            self.signal.finish()
        }
    }

    /// Delivers everything due, a batch at a time, sends of a batch in parallel.
    func deliverDue() async {
        while true {
            let jobs: [OutboxJob]
            do {
                jobs = try await outbox.claimDue(now: Date(), limit: 32)
            } catch {
                logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
                return
            }
            if jobs.isEmpty { return }
            await withTaskGroup(of: Void.self) { group in
                for job in jobs {
                    group.addTask { await self.deliver(job) }
                }
            }
        }
    }

    private func deliver(_ job: OutboxJob) async {
        let metadata: Logger.Metadata = [
            "channel": .string(job.message.channelID), "outbox": "\(job.outboxID)", "attempt": "\(job.attempt)",
        ]
        do {
            guard let adapter = adapters[job.message.channelID] else {
                throw SendFailure(code: "channel_not_configured", message: "the manifest no longer declares this channel", retryable: false)
            }
            let message = OutboundMessage(
                outboxID: job.outboxID, messageID: job.message.id, conversationID: job.message.conversationID, threadKey: job.threadKey,
                parts: adapter.capabilities.degrade(job.message.parts), author: job.message.author, createdAt: job.message.createdAt,
                idempotencyKey: job.idempotencyKey, mailContext: job.mailContext)
            let receipt = try await adapter.send(message)
            _ = try await outbox.recordSent(job, receipt: receipt, now: Date())
            logger.debug("sent", metadata: metadata)
        } catch let failure as SendFailure {
            await recordFailure(
                job, reason: "\(failure.code): \(failure.message)", retryable: failure.retryable, retryAfter: failure.retryAfter,
                metadata: metadata)
        } catch {
            await recordFailure(job, reason: "\(error)", retryable: true, retryAfter: nil, metadata: metadata)
        }
    }

    private func recordFailure(_ job: OutboxJob, reason: String, retryable: Bool, retryAfter: Duration?, metadata: Logger.Metadata) async {
        let now = Date()
        var retryAt: Date?
        if retryable && job.attempt < settings.maxAttempts {
            var generator = SystemRandomNumberGenerator()
            var delay = Backoff(initial: settings.initialBackoff, maximum: settings.maxBackoff).delay(
                afterAttempt: job.attempt, using: &generator)
            if let retryAfter, retryAfter > delay { delay = retryAfter }
            retryAt = now.addingTimeInterval(Double(delay.milliseconds) / 1000)
        }
        var details = metadata
        details["reason"] = .string(LogRedaction.redact(reason))
        if retryAt == nil {
            logger.error("send failed for good; dead-lettered", metadata: details)
        } else {
            logger.warning("send failed; will retry", metadata: details)
        }
        do {
            try await outbox.recordFailure(job, error: reason, retryAt: retryAt, now: now)
        } catch {
            logger.error("cannot record a send failure", metadata: ["outbox": "\(job.outboxID)", "error": "\(error)"])
        }
    }
}
