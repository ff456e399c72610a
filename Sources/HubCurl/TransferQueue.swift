import Foundation

/// Requests waiting for a worker thread. Workers block in ``next()``, which is why
/// this is a condition-variable queue and not an actor: the waiting happens on the
/// client's own threads, never on the cooperative pool.
final class TransferQueue: @unchecked Sendable {
    struct Job {
        var transfer: Transfer
        var cancellation: CancellationFlag
        var complete: @Sendable (Result<CurlResponse, CurlError>) -> Void
    }

    // Guarded by `condition`; that is what makes the unchecked Sendable sound.
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var closed = false

    /// Queues a job; `false` once the client has shut down.
    func push(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// The next job, waiting for one; `nil` when the queue is closed and drained.
    func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !closed {
            condition.wait()
        }
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        head += 1
        if head > 64 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    /// Stops accepting jobs; workers finish what is queued, then exit.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A share of a client: its own `limit` worker threads, so that one slow provider cannot hold
/// the workers of another, and its connections stay with its threads' easy handles.
package struct CurlLane: Sendable, Hashable {
    package var name: String
    package var limit: Int
}
