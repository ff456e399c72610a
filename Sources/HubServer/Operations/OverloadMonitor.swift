import Foundation
import HubCore
import HubStorage
import Logging
import ServiceLifecycle

/// Whether the hub is overloaded now, and why: read by `/readyz` and the bot.
actor OverloadState {
    private(set) var reason: String?

    func update(_ reason: String?) -> Bool {
        defer { self.reason = reason }
        return (self.reason == nil) != (reason == nil)
    }
}

/// Samples the inbox every second against the manifest's ``OverloadPolicy`` and logs each
/// change between normal and degraded.
final class OverloadMonitor: Service, Sendable {
    let state: OverloadState
    let policy: OverloadPolicy
    let sample: @Sendable () async throws -> (backlog: Int, lagSeconds: Double)
    let logger: Logger
    let tick: Duration

    init(
        state: OverloadState, policy: OverloadPolicy, logger: Logger, tick: Duration = .seconds(1),
        sample: @escaping @Sendable () async throws -> (backlog: Int, lagSeconds: Double)
    ) {
        self.state = state
        self.policy = policy
        self.sample = sample
        self.logger = logger
        self.tick = tick
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check()
                try? await Task.sleep(for: self.tick)
            }
        }
    }

    func check() async {
        do {
            let current = try await sample()
            let reason = policy.assess(backlog: current.backlog, lagSeconds: current.lagSeconds)
            if await state.update(reason) {
                if let reason {
                    logger.warning("overloaded: degrading (hooks still acknowledge; the bot holds)", metadata: ["reason": .string(reason)])
                } else {
                    logger.notice("load back to normal")
                }
            }
        } catch {
            logger.error("cannot sample the inbox for overload", metadata: ["error": "\(error)"])
        }
    }
}
