import GRDB
import ServiceLifecycle
import Synchronization

/// Serialises writes through one transaction per batch: whatever is queued when
/// the previous commit finishes goes into the next one, with no added wait.
///
/// With `synchronous=FULL` each commit is an fsync; sharing it across every
/// request that arrived meanwhile is what lets durable ingest keep up with the
/// network. Each submitted piece of work runs in its own savepoint, so one
/// failing item rolls back alone.
public final class GroupCommitWriter: Service, Sendable {
    /// Thrown to callers once shutdown has begun.
    public struct Closed: Error {}

    private struct Pending: Sendable {
        let work: @Sendable (Database) throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var pending: [Pending] = []
        var accepting = true
    }

    private let writer: any DatabaseWriter
    private let maxBatch: Int
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// - Parameter maxBatch: the most items one transaction carries, bounding the latency of a commit.
    public init(writer: any DatabaseWriter, maxBatch: Int = 512) {
        self.writer = writer
        self.maxBatch = maxBatch
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// How many writes wait for the next commit (deliveries waiting for their acknowledgement,
    /// while a processing batch holds the writer).
    public var queuedWrites: Int {
        state.withLock { $0.pending.count }
    }

    /// Runs `work` inside the next group commit and returns its result once that
    /// commit is durable. An error thrown by `work` rolls back only its own changes.
    public func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let accepted = state.withLock { state in
                guard state.accepting else { return false }
                state.pending.append(Pending(work: { try work($0) }, continuation: continuation))
                return true
            }
            if accepted {
                wake.yield()
            } else {
                continuation.resume(throwing: Closed())
            }
        }
        guard let typed = value as? T else { preconditionFailure("group commit returned \(type(of: value)), expected \(T.self)") }
        return typed
    }

    /// Commits batches until graceful shutdown, then drains what is still queued.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await drain()
            }
            await drain()
        } onGracefulShutdown: {
            self.state.withLock { $0.accepting = false }
            self.wake.finish()
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let count = min(state.pending.count, maxBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Pending]) async {
        do {
            let outcomes = try await writer.write { db in
                batch.map { item -> Result<any Sendable, any Error> in
                    var outcome: Result<any Sendable, any Error> = .failure(Closed())
                    do {
                        try db.inSavepoint {
                            do {
                                outcome = .success(try item.work(db))
                                return .commit
                            } catch {
                                outcome = .failure(error)
                                return .rollback
                            }
                        }
                    } catch {
                        outcome = .failure(error)
                    }
                    return outcome
                }
            }
            for (item, outcome) in zip(batch, outcomes) {
                item.continuation.resume(with: outcome)
            }
        } catch {
            for item in batch {
                item.continuation.resume(throwing: error)
            }
        }
    }
}
