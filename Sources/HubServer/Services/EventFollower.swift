import HubStorage
import Logging
import ServiceLifecycle

/// The loop of a consumer of the event log (assist, the bot): drain every page there is, then
/// sleep until the bell rings (a commit) or `tick` passes, until graceful shutdown.
enum EventFollower {
    /// - Parameter step: handles one page; returns whether there may be more.
    static func follow(bell: EventBell, tick: Duration, logger: Logger, name: String, step: @escaping @Sendable () async throws -> Bool)
        async
    {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let rings = bell.rings
                do {
                    while try await step() {}
                } catch {
                    logger.error("\(name) cannot read the event log", metadata: ["error": "\(error)"])
                }
                await bell.wait(after: rings, timeout: tick)
            }
        }
    }
}
