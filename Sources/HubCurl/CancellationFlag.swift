import Synchronization

/// Set from a cancelled task, read by the worker thread's callbacks so that a
/// transfer stops instead of running to its timeout.
final class CancellationFlag: Sendable {
    private let cancelled = Atomic<Bool>(false)

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }
}
