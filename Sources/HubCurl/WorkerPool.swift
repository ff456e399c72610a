import CCurl
import Foundation

/// The worker threads of a ``CurlClient`` and the queue they serve. Threads start on
/// ``start()`` or with the first transfer; ``shutdown()`` lets them finish what is queued
/// and waits until they have exited. Dropping the last client does the same without waiting.
final class WorkerPool: @unchecked Sendable {
    let queue = TransferQueue()
    private let workers: Int
    // Guarded by `state`; that is what makes the unchecked Sendable sound.
    private let state = NSLock()
    private var started = false
    private var live = 0
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    init(workers: Int) {
        self.workers = max(1, workers)
    }

    deinit {
        queue.close()
    }

    func start() {
        state.lock()
        guard !started else {
            state.unlock()
            return
        }
        started = true
        live = workers
        state.unlock()
        // Reference-counted and thread-safe on libcurl ≥ 7.84 (Debian 12 ships 7.88);
        // never paired with a cleanup because FoundationNetworking shares the library.
        curl_global_init(Int(CURL_GLOBAL_ALL))
        ccurl_ignore_sigpipe()
        for index in 0..<workers {
            let thread = Thread { [queue, weak self] in
                Self.work(queue)
                self?.exited()
            }
            thread.name = "tributary-curl-\(index)"
            thread.start()
        }
    }

    /// Closes the queue and returns once every worker has finished and exited.
    func shutdown() async {
        queue.close()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            state.lock()
            if live == 0 {
                state.unlock()
                continuation.resume()
            } else {
                exitWaiters.append(continuation)
                state.unlock()
            }
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
                queue.finished(job)
            }
            return
        }
        while let job = queue.next() {
            job.complete(handle.perform(job.transfer, cancellation: job.cancellation))
            queue.finished(job)
        }
    }
}
