import Foundation
import HubStorage
import Logging
import ServiceLifecycle

/// Offers queued conversations to agents: a round runs whenever something that could change
/// an offer happens (a new message, a presence change, a resolve, a claim) and every tick, for
/// lapsed offers, snoozes that end and consoles that stayed away past the grace.
final class RoutingService: Service, Sendable {
    let store: RoutingStore
    /// Every committed event may change what routing should do: it rings a round.
    let bell: EventBell
    let sockets: ConsoleSockets
    let grace: TimeInterval
    let logger: Logger
    let tick: Duration
    /// Asked to look for outbox entries after a round queued wait notices.
    let sendsQueued: @Sendable () -> Void
    private let signal = WakeSignal()

    init(
        store: RoutingStore, bell: EventBell, sockets: ConsoleSockets, grace: TimeInterval, logger: Logger, tick: Duration,
        sendsQueued: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.bell = bell
        self.sockets = sockets
        self.grace = grace
        self.logger = logger
        self.tick = tick
        self.sendsQueued = sendsQueued
    }

    func wake() {
        signal.wake()
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [bell, signal] in
                    while !Task.isCancelled {
                        let rings = bell.rings
                        await bell.wait(after: rings, timeout: .seconds(15))
                        signal.wake()
                    }
                }
                await signal.rounds(every: tick) { await round() }
                group.cancelAll()
            }
        } onGracefulShutdown: { [signal] in
            signal.finish()
        }
    }

    func round() async {
        do {
            let now = Date()
            try await store.markAway(await sockets.gone(grace: grace, now: now), now: now)
            let outcome = try await store.round(now: now)
            if outcome.queuedSends { sendsQueued() }
            if !outcome.assignments.isEmpty || outcome.returned > 0 {
                logger.info(
                    "routing round",
                    metadata: [
                        "offered": "\(outcome.assignments.count)", "returned": "\(outcome.returned)", "notices": "\(outcome.notices)",
                    ])
            }
        } catch {
            logger.error("routing round failed", metadata: ["error": "\(error)"])
        }
    }
}
