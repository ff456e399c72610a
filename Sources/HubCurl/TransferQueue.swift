import Foundation

/// Requests waiting for a worker thread. Workers block in ``next()``, which is why
/// this is a condition-variable queue and not an actor: the waiting happens on the
/// client's own threads, never on the cooperative pool.
///
/// A job may belong to a lane (one channel's provider) with a limit on how many of its
/// transfers run at once, so that one slow provider cannot hold every worker of the
/// shared client while the others wait.
final class TransferQueue: @unchecked Sendable {
    struct Job {
        var transfer: Transfer
        var cancellation: CancellationFlag
        var lane: CurlLane?
        var complete: @Sendable (Result<CurlResponse, CurlError>) -> Void
    }

    // Guarded by `condition`; that is what makes the unchecked Sendable sound.
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var running: [String: Int] = [:]
    private var closed = false

    /// Queues a job; `false` once the client has shut down.
    func push(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.broadcast()
        return true
    }

    /// The oldest job whose lane has room, waiting for one; `nil` when the queue is closed
    /// and drained. The caller reports the job's end with ``finished(_:)``.
    func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let index = jobs.firstIndex(where: { job in job.lane.map { running[$0.name, default: 0] < $0.limit } ?? true }) {
                let job = jobs.remove(at: index)
                if let lane = job.lane { running[lane.name, default: 0] += 1 }
                return job
            }
            if closed && jobs.isEmpty { return nil }
            condition.wait()
        }
    }

    /// A job's transfer is over: its lane has room again.
    func finished(_ job: Job) {
        guard let lane = job.lane else { return }
        condition.lock()
        running[lane.name, default: 1] -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Stops accepting jobs; workers finish what is queued, then exit.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A share of a client's workers: at most `limit` of the lane's transfers run at once.
public struct CurlLane: Sendable, Hashable {
    public var name: String
    public var limit: Int
}
