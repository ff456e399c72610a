import CCurl
import Foundation

/// The worker threads of a ``CurlClient``: a general set, and for each lane its own threads,
/// made when the lane's first transfer comes. Each thread owns one easy handle, so a lane's
/// connections (an IMAP login, a provider's keep-alive) stay with that lane. ``shutdown()``
/// lets every thread finish what is queued and waits until all have exited; dropping the
/// last client closes the queues without waiting.
final class WorkerPool: @unchecked Sendable {
    private let workers: Int
    // Guarded by `state`; that is what makes the unchecked Sendable sound.
    private let state = NSLock()
    private var general: TransferQueue?
    private var lanes: [String: TransferQueue] = [:]
    private var closed = false
    private var live = 0
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    init(workers: Int) {
        self.workers = max(1, workers)
    }

    deinit {
        general?.close()
        for queue in lanes.values { queue.close() }
    }

    /// Starts the general workers.
    func start() {
        _ = queue(for: nil)
    }

    /// The queue of `lane` (or the general one), starting its threads the first time; `nil` once shut down.
    func queue(for lane: CurlLane?) -> TransferQueue? {
        state.lock()
        defer { state.unlock() }
        guard !closed else { return nil }
        if let lane {
            if let queue = lanes[lane.name] { return queue }
            let queue = TransferQueue()
            lanes[lane.name] = queue
            spawn(lane.limit, serving: queue, named: "tributary-curl-\(lane.name)")
            return queue
        }
        if let general { return general }
        let queue = TransferQueue()
        general = queue
        spawn(workers, serving: queue, named: "tributary-curl")
        return queue
    }

    /// Closes every queue and returns once every worker has finished and exited.
    func shutdown() async {
        let queues = state.withLock {
            closed = true
            return [general].compactMap { $0 } + Array(lanes.values)
        }
        for queue in queues { queue.close() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = state.withLock {
                if live == 0 { return true }
                exitWaiters.append(continuation)
                return false
            }
            if exited { continuation.resume() }
        }
    }

    /// Called with `state` held.
    private func spawn(_ count: Int, serving queue: TransferQueue, named name: String) {
        // Reference-counted and thread-safe on libcurl ≥ 7.84 (Debian 12 ships 7.88);
        // never paired with a cleanup because FoundationNetworking shares the library.
        curl_global_init(Int(CURL_GLOBAL_ALL))
        ccurl_ignore_sigpipe()
        live += count
        for index in 0..<max(1, count) {
            let thread = Thread { [weak self] in
                Self.work(queue)
                self?.exited()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    private func exited() {
        state.lock()
        live -= 1
        let waiters = live == 0 ? exitWaiters : []
        if live == 0 { exitWaiters = [] }
        state.unlock()
        for waiter in waiters { waiter.resume() }
    }

    private static func work(_ queue: TransferQueue) {
        guard let handle = EasyHandle() else {
            while let job = queue.next() {
                job.complete(.failure(CurlError(code: 2, name: "CURLE_FAILED_INIT", message: "curl_easy_init failed")))
            }
            return
        }
        while let job = queue.next() {
            job.complete(handle.perform(job.transfer, cancellation: job.cancellation))
        }
    }
}
