import Foundation
import HubCore
import HubCurl
import HubStorage
import Logging
import ServiceLifecycle

/// Delivers events to the manifest's `webhooks:` endpoints: each endpoint follows the log
/// with its own committed cursor and its own HTTP client, so a slow or dead endpoint holds
/// up neither ingest nor the other endpoints. Failed deliveries are retried with growing
/// waits (5 s, 25 s, 2 min, 10 min, …) for at least `give_up_after`, then dead-lettered.
final class WebhookDispatcher: Service, Sendable {
    private let webhooks: [OutboundWebhook]
    private let store: WebhookDeliveryStore
    private let bell: EventBell
    private let http: CurlClient
    private let logger: Logger
    private let tick: Duration
    private let wakeups: AsyncStream<Void>
    private let wakeup: AsyncStream<Void>.Continuation

    init(
        webhooks: [OutboundWebhook], store: WebhookDeliveryStore, bell: EventBell, http: CurlClient, logger: Logger,
        tick: Duration = .seconds(1)
    ) {
        self.http = http
        self.webhooks = webhooks
        self.store = store
        self.bell = bell
        self.logger = logger
        self.tick = tick
        (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks every endpoint to look for due deliveries now (after a replay).
    func wake() {
        wakeup.yield()
        bell.ring()
    }

    func run() async throws {
        guard !webhooks.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        try await store.requeueInterrupted()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for webhook in self.webhooks {
                    guard let signer = WebhookSigner(secret: webhook.secret) else { continue }
                    group.addTask { await self.follow(webhook, signer: signer) }
                }
            }
        }
    }

    /// One endpoint's loop: turn new events into deliveries, attempt what is due, wait.
    private func follow(_ webhook: OutboundWebhook, signer: WebhookSigner) async {
        let client = http.lane("webhook:\(webhook.id)")
        while !Task.isCancelled {
            let rings = bell.rings
            do {
                while try await store.enqueue(webhook, limit: 500, now: Date()) > 0 {}
                let jobs = try await store.due(webhookID: webhook.id, now: Date(), limit: 8)
                if !jobs.isEmpty {
                    await withTaskGroup(of: Void.self) { group in
                        for job in jobs {
                            group.addTask { await self.deliver(job, to: webhook, signer: signer, client: client) }
                        }
                    }
                    continue
                }
            } catch {
                logger.error("webhook deliveries cannot be read", metadata: ["webhook": .string(webhook.id), "error": "\(error)"])
            }
            await bell.wait(after: rings, timeout: tick)
        }
    }

    private func deliver(_ job: WebhookJob, to webhook: OutboundWebhook, signer: WebhookSigner, client: CurlClient) async {
        let body = Array(job.event.json.utf8)
        var headers = signer.headers(id: "evt_\(job.event.seq)", timestamp: Date(), body: body)
        headers.append(("content-type", "application/json"))
        headers.append(("user-agent", "tributary-webhooks"))
        var status: Int?
        var failure: String?
        do {
            let response = try await client.perform(
                CurlRequest(
                    method: "POST", url: webhook.url, headers: headers, body: body, connectTimeout: .seconds(5), timeout: webhook.timeout,
                    maxResponseBytes: 64 << 10))
            status = response.status
            if !response.isSuccess { failure = "HTTP \(response.status)" }
        } catch {
            failure = "\(error.name): \(error.message)"
        }
        let now = Date()
        var retryAt: Date?
        if failure != nil,
            let delay = webhook.retryDelay(afterAttempt: job.attempt, elapsed: .seconds(now.timeIntervalSince(job.createdAt)))
        {
            retryAt = now.addingTimeInterval(Double(delay.milliseconds) / 1000)
        }
        let metadata: Logger.Metadata = [
            "webhook": .string(webhook.id), "seq": "\(job.event.seq)", "attempt": "\(job.attempt)", "error": .string(failure ?? "-"),
        ]
        if let failure {
            if retryAt == nil {
                logger.error("webhook delivery dead-lettered", metadata: metadata)
            } else {
                logger.warning("webhook delivery failed; will retry", metadata: metadata)
            }
        }
        do {
            try await store.record(job, status: status, error: failure, delivered: failure == nil, retryAt: retryAt, now: now)
        } catch {
            logger.error("cannot record a webhook attempt", metadata: ["webhook": .string(webhook.id), "error": "\(error)"])
        }
    }
}
