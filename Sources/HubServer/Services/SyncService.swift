import Foundation
import HubCore
import Logging
import ServiceLifecycle

/// Runs each syncing channel's pass at its `poll_interval`, in the background. A failed
/// pass is recorded on the channel's status and tried again at the next interval; the
/// rest of the hub keeps running.
final class SyncService: Service, Sendable {
    private let syncs: [ChannelSync]
    private let logger: Logger

    init(syncs: [ChannelSync], logger: Logger) {
        self.syncs = syncs
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for sync in self.syncs {
                    group.addTask { await self.poll(sync) }
                }
            }
        }
        // A service that returns early stops the hub: with nothing to poll, wait for shutdown.
        try? await gracefulShutdown()
    }

    private func poll(_ sync: ChannelSync) async {
        guard let interval = sync.adapter.pollInterval else { return }
        let channel: Logger.MetadataValue = .string(sync.adapter.channelID)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                let summary = try await sync.runPass()
                logger.info(
                    "sync pass finished",
                    metadata: [
                        "channel": channel, "pages": "\(summary.pages)", "created": "\(summary.created)", "updated": "\(summary.updated)",
                        "unchanged": "\(summary.unchanged)", "errors": "\(summary.errors)",
                    ])
            } catch is CancellationError {
                return
            } catch {
                logger.error("sync pass failed; next try at the next interval", metadata: ["channel": channel, "error": "\(error)"])
            }
            let elapsed = ContinuousClock.now - started
            try? await Task.sleep(for: max(interval - elapsed, .milliseconds(100)))
        }
    }
}
