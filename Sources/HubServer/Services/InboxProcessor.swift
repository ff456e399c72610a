import Foundation
import HubCore
import HubStorage
import Logging
import ServiceLifecycle
import Synchronization

/// The processing stage: takes pending inbox entries in batches (whatever is pending, up to
/// `batchLimit`), decodes them outside any write transaction, and applies each batch in one
/// transaction with a savepoint per entry.
///
/// Entries are taken in arrival order and a batch is applied in that order, so the messages
/// of one conversation are stored in the order they arrived. The backlog stays in SQLite:
/// memory holds one batch.
final class InboxProcessor: Service, Sendable {
    private let inbox: InboxStore
    private let adapters: [ChannelID: any ChannelAdapter]
    private let decoded: DecodedDeliveries
    let completions: InboxCompletions
    private let logger: Logger
    private let batchLimit: Int
    /// How often entries waiting for a retry are looked for when nothing wakes the stage.
    private let tick: Duration
    /// Only these channels' entries (a one-channel `tributary sync`); `nil` for all.
    private let channels: Set<ChannelID>?
    /// Whether this stage owns the inbox and so recovers what a stop interrupted.
    private let recovers: Bool
    private let signal = WakeSignal()
    private let stopping = Mutex(false)

    init(
        inbox: InboxStore, adapters: [ChannelID: any ChannelAdapter], decoded: DecodedDeliveries, completions: InboxCompletions,
        logger: Logger, batchLimit: Int = 256, tick: Duration = .milliseconds(500), channels: Set<ChannelID>? = nil,
        recovers: Bool = true
    ) {
        self.inbox = inbox
        self.adapters = adapters
        self.decoded = decoded
        self.completions = completions
        self.logger = logger
        self.batchLimit = batchLimit
        self.tick = tick
        self.channels = channels
        self.recovers = recovers
    }

    /// Asks for a round now: an entry was just stored.
    func wake() {
        signal.wake()
    }

    func run() async throws {
        if recovers {
            let recovery = try await inbox.recoverInterrupted(now: Date())
            if recovery.requeued > 0 || recovery.failed > 0 {
                logger.notice(
                    "inbox entries interrupted by a stop",
                    metadata: ["requeued": "\(recovery.requeued)", "failed_as_poison": "\(recovery.failed)"])
            }
        }
        signal.wake()
        await withGracefulShutdownHandler {
            await signal.rounds(every: tick) { await drain() }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.signal.finish()
        }
    }

    /// Processes batches until nothing is due or the hub is stopping.
    func drain() async {
        var batch: [PendingEntry]
        do {
            batch = try await inbox.claim(limit: batchLimit, channels: channels, now: Date())
        } catch {
            logger.error("processing stage cannot reach the inbox", metadata: ["error": "\(error)"])
            return
        }
        while !batch.isEmpty {
            do {
                let entries = await decode(batch)
                // Stopping: apply what was claimed (its attempt is counted) and take no more.
                let limit = stopping.withLock({ $0 }) ? 0 : batchLimit
                // While deliveries wait for the writer, batches shrink so each transaction stays short.
                let applied = try await inbox.apply(
                    entries, thenClaim: limit, busyLimit: max(limit / 8, min(limit, 16)), channels: channels, now: Date())
                batch = applied.next
                let outcomes = applied.outcomes
                completions.complete(outcomes)
                for (id, outcome) in outcomes {
                    guard case .failed(let reason, let retryAt) = outcome else { continue }
                    let metadata: Logger.Metadata = ["inbox": "\(id)", "error": .string(LogRedaction.redact(reason))]
                    if retryAt == nil {
                        logger.error("inbox entry failed; see GET /api/v1/inbox?state=failed", metadata: metadata)
                    } else {
                        logger.warning("inbox entry not processed; will retry", metadata: metadata)
                    }
                }
            } catch {
                // The database itself refused the batch (disk full, locked): put it back and wait
                // for the next tick.
                logger.error("processing stage cannot reach the inbox", metadata: ["error": "\(error)"])
                try? await inbox.release(batch.map(\.id))
                return
            }
        }
    }

    /// Decodes a batch, using what adapters decoded while checking the deliveries; the rest
    /// is decoded from the stored payload, split across the cores.
    private func decode(_ batch: [PendingEntry]) async -> [DecodedEntry] {
        var results = [DecodedEntry?](repeating: nil, count: batch.count)
        var missing: [Int] = []
        for (index, entry) in batch.enumerated() {
            if let events = decoded.take(channelID: entry.raw.channelID, dedupeKey: entry.dedupeKey) {
                results[index] = DecodedEntry(
                    id: entry.id, channelID: entry.raw.channelID, attempt: entry.attempt, events: .success(events))
            } else {
                missing.append(index)
            }
        }
        if missing.count < 8 {
            for index in missing { results[index] = decodeStored(batch[index]) }
        } else {
            let workers = max(ProcessInfo.processInfo.activeProcessorCount, 1)
            let chunk = (missing.count + workers - 1) / workers
            let decodedChunks = await withTaskGroup(of: [(Int, DecodedEntry)].self) { group in
                for start in stride(from: 0, to: missing.count, by: chunk) {
                    let indices = Array(missing[start..<min(start + chunk, missing.count)])
                    group.addTask { indices.map { ($0, self.decodeStored(batch[$0])) } }
                }
                return await group.reduce(into: [(Int, DecodedEntry)]()) { $0 += $1 }
            }
            for (index, entry) in decodedChunks { results[index] = entry }
        }
        return results.compactMap { $0 }
    }

    private func decodeStored(_ entry: PendingEntry) -> DecodedEntry {
        let events: Result<[InboundEvent], DecodeFailure>
        if let adapter = adapters[entry.raw.channelID] {
            do {
                events = .success(try adapter.decode(entry.raw))
            } catch {
                events = .failure(DecodeFailure("\(error.code): \(error.message)"))
            }
        } else {
            events = .failure(DecodeFailure("the manifest no longer declares channel '\(entry.raw.channelID)'"))
        }
        return DecodedEntry(id: entry.id, channelID: entry.raw.channelID, attempt: entry.attempt, events: events)
    }
}
