package import Foundation
package import HubCore
import HubCurl
import HubStorage
package import Logging
import ServiceLifecycle

/// One sync pass outside the server (`tributary sync`), through the same inbox,
/// pipeline and committed cursor as the server's background passes.
package enum SyncRunner {
    /// Runs a pass of `channelID` on the manifest's database and returns what it did.
    package static func run(
        manifest: Manifest, channelID: ChannelID, since: Date?, registry: ChannelKindRegistry, logger: Logger,
        progress: @escaping @Sendable (SyncSummary) -> Void
    ) async throws -> SyncSummary {
        guard let channel = manifest.channel(channelID) else {
            throw HubError.notFound("unknown_channel", "no channel '\(channelID)' in the manifest")
        }
        var services = AdapterServices(live: LiveSessions(), publicBaseURL: manifest.publicBaseURL, logger: logger)
        services.lend(CurlClient(workers: 2))
        guard let kind = registry.kind(named: channel.kind),
            let adapter = try kind.makeAdapter(for: channel, services: services.forChannel(channel)) as? any SyncingAdapter
        else {
            throw HubError.badRequest("not_syncing", "channel '\(channelID)' (kind \(channel.kind)) has nothing to sync")
        }
        let database = try HubDatabase.open(path: manifest.server.databasePath)
        let writer = GroupCommitWriter(writer: database.writer)
        let inbox = InboxStore(database: database, writer: writer, policy: IdentityPolicy(manifest.identity))
        // Its own processing stage, for this channel's entries only: a running hub may be
        // processing the others, and only the hub recovers interrupted entries.
        let processor = InboxProcessor(
            inbox: inbox, adapters: [channelID: adapter], decoded: DecodedDeliveries(capacity: 0), completions: InboxCompletions(),
            logger: logger, channels: [channelID], recovers: false)
        let sync = ChannelSync(
            adapter: adapter, pipeline: InboxPipeline(inbox: inbox, processor: processor, completions: processor.completions),
            state: SyncStateStore(database: database), logger: logger)
        let pass = OneShotPass(sync: sync, since: since, progress: progress)
        // The writer shuts down after the pass (services stop in reverse order), draining its queue.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: writer),
                    .init(service: processor),
                    .init(
                        service: pass, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                ], logger: logger))
        // A failed pass ends the group with its error; the pass's own outcome says which.
        try? await group.run()
        return try await pass.result.value()
    }
}

/// Runs one pass as a service, keeping its outcome for the caller.
private final class OneShotPass: Service, Sendable {
    let sync: ChannelSync
    let since: Date?
    let progress: @Sendable (SyncSummary) -> Void
    let result = Outcome()

    init(sync: ChannelSync, since: Date?, progress: @escaping @Sendable (SyncSummary) -> Void) {
        self.sync = sync
        self.since = since
        self.progress = progress
    }

    func run() async throws {
        do {
            await result.set(.success(try await sync.runPass(since: since, progress: progress)))
        } catch {
            await result.set(.failure(error))
            throw error
        }
    }

    actor Outcome {
        private var outcome: Result<SyncSummary, any Error>?

        func set(_ outcome: Result<SyncSummary, any Error>) {
            self.outcome = outcome
        }

        func value() throws -> SyncSummary {
            guard let outcome else { throw CancellationError() }
            return try outcome.get()
        }
    }
}
