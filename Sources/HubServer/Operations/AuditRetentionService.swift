import Foundation
import HubCore
import HubStorage
import Logging
import ServiceLifecycle

/// Prunes the audit trail past the manifest's retention (`audit.retention`, never under 180
/// days), at start and then hourly. Pruning removes whole days and keeps an anchor hash, so that
/// `tributary audit verify` still checks every row kept.
final class AuditRetentionService: Service, Sendable {
    let audit: AuditStore
    let retention: Duration
    let logger: Logger
    let clock: @Sendable () -> Date

    init(audit: AuditStore, retention: Duration, logger: Logger, clock: @escaping @Sendable () -> Date) {
        self.audit = audit
        self.retention = retention
        self.logger = logger
        self.clock = clock
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.prune()
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }

    func prune() async {
        let cutoff = clock().addingTimeInterval(-retention.timeInterval)
        do {
            let pruning = try await audit.prune(before: cutoff)
            if pruning.removed > 0 {
                logger.notice(
                    "audit rows past retention pruned", metadata: ["removed": "\(pruning.removed)", "anchor": "\(pruning.anchorID)"])
            }
        } catch {
            logger.error("cannot prune the audit trail", metadata: ["error": "\(error)"])
        }
    }
}
