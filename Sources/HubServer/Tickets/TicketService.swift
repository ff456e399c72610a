import Foundation
import HubStorage
import Logging
import ServiceLifecycle

/// Keeps tickets in step with the event log and runs their clocks: one loop follows the log
/// (messages join tickets, rules open them, replies meet SLA targets), the other ticks the SLA
/// pass (recompute, warnings, breaches, follow-ups, auto-closing) with an injectable clock.
/// No timer holds truth: every pass reads due times derived from stored facts.
final class TicketService: Service, Sendable {
    let store: TicketStore
    let logger: Logger
    let tick: Duration
    let clock: @Sendable () -> Date
    /// How long the log follower sleeps when no commit rings.
    let followTick: Duration

    init(store: TicketStore, logger: Logger, tick: Duration, followTick: Duration, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.logger = logger
        self.tick = tick
        self.followTick = followTick
        self.clock = clock
    }

    func run() async throws {
        do {
            let invalidated = try await store.invalidateClocks()
            if invalidated > 0 { logger.info("SLA clocks to recompute after start", metadata: ["tickets": "\(invalidated)"]) }
        } catch {
            logger.error("cannot mark SLA clocks for recomputation", metadata: ["error": "\(error)"])
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [store, logger, followTick, clock] in
                await EventFollower.follow(bell: store.bell, tick: followTick, logger: logger, name: "tickets") {
                    try await store.follow(now: clock())
                }
            }
            group.addTask { [self] in
                await cancelWhenGracefulShutdown {
                    while !Task.isCancelled {
                        await self.pass()
                        try? await Task.sleep(for: self.tick)
                    }
                }
            }
            await group.waitForAll()
        }
    }

    /// One SLA pass at the clock's now.
    func pass() async {
        do {
            let started = ContinuousClock.now
            let pass = try await store.pass(now: clock())
            if pass.warnings + pass.breaches + pass.followUps + pass.closed > 0 || pass.recomputed > 100 {
                logger.info(
                    "SLA pass",
                    metadata: [
                        "recomputed": "\(pass.recomputed)", "warnings": "\(pass.warnings)", "breaches": "\(pass.breaches)",
                        "follow_ups": "\(pass.followUps)", "closed": "\(pass.closed)", "took": "\(ContinuousClock.now - started)",
                    ])
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("SLA pass failed", metadata: ["error": "\(error)"])
        }
    }
}
