package import GRDB
import ServiceLifecycle
import Synchronization

/// Serialises writes through one transaction per batch: whatever is queued when
/// the previous commit finishes goes into the next one, with no added wait.
///
/// With `synchronous=FULL` each commit is an fsync; sharing it across every
/// request that arrived meanwhile is what lets durable ingest keep up with the
/// network. Each submitted piece of work runs in its own savepoint, so one
/// failing item rolls back alone.
package final class GroupCommitWriter: Service, Sendable {
    /// Thrown to callers once shutdown has begun.
    package struct Closed: Error {}

    private struct State {
        var pending: [any BatchedWrite] = []
        var accepting = true
    }

    private let writer: any DatabaseWriter
    private let maxBatch: Int
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// - Parameter maxBatch: the most items one transaction carries, bounding the latency of a commit.
    package init(writer: any DatabaseWriter, maxBatch: Int = 512) {
        self.writer = writer
        self.maxBatch = maxBatch
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// How many writes wait for the next commit (deliveries waiting for their acknowledgement,
    /// while a processing batch holds the writer).
    package var queuedWrites: Int {
        state.withLock { $0.pending.count }
    }

    /// Runs `work` inside the next group commit and returns its result once that
    /// commit is durable. An error thrown by `work` rolls back only its own changes.
    package func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = state.withLock { state in
                guard state.accepting else { return false }
                state.pending.append(TypedWrite(work: work, continuation: continuation))
                return true
            }
            if accepted {
                wake.yield()
            } else {
                continuation.resume(throwing: Closed())
            }
        }
    }

    /// Commits batches until graceful shutdown, then drains what is still queued.
    package func run() async throws {
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
            let batch = state.withLock { state -> [any BatchedWrite] in
                let count = min(state.pending.count, maxBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [any BatchedWrite]) async {
        do {
            try await writer.write { db in
                for item in batch { item.apply(db) }
            }
            for item in batch { item.finish(commitError: nil) }
        } catch {
            for item in batch { item.finish(commitError: error) }
        }
    }
}

/// One caller's work in a batch, with its result type kept: the batch holds these as
/// existentials and never casts a result back.
private protocol BatchedWrite: Sendable {
    /// Runs the work in its own savepoint of the batch's transaction.
    func apply(_ db: Database)
    /// Resumes the caller: with the work's outcome once the batch committed, or with
    /// `commitError` when the transaction as a whole failed.
    func finish(commitError: (any Error)?)
}

private final class TypedWrite<T: Sendable>: BatchedWrite {
    private let work: @Sendable (Database) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    /// Set by `apply` on the writer's queue, read by `finish` after the commit.
    private let outcome = Mutex<Result<T, any Error>?>(nil)

    init(work: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.work = work
        self.continuation = continuation
    }

    func apply(_ db: Database) {
        var result: Result<T, any Error> = .failure(GroupCommitWriter.Closed())
        do {
            try db.inSavepoint {
                do {
                    result = .success(try work(db))
                    return .commit
                } catch {
                    result = .failure(error)
                    return .rollback
                }
            }
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
    }

    func finish(commitError: (any Error)?) {
        if let commitError {
            continuation.resume(throwing: commitError)
        } else {
            continuation.resume(with: outcome.withLock { $0 } ?? .failure(GroupCommitWriter.Closed()))
        }
    }
}
