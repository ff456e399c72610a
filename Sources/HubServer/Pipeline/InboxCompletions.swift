import HubStorage
import Synchronization

/// Lets a caller wait for the processing of the inbox entry it stored: web chat answers
/// its visitor with the ids processing made, and a sync pass counts what its page did.
final class InboxCompletions: Sendable {
    private final class Waiter: Sendable {
        private struct State {
            var outcome: EntryOutcome?
            var continuation: CheckedContinuation<EntryOutcome?, Never>?
            var done = false
        }

        private let state = Mutex(State())

        /// The first call wins: an outcome, or `nil` for a wait that timed out.
        func resolve(_ outcome: EntryOutcome?) {
            let continuation = state.withLock { state -> CheckedContinuation<EntryOutcome?, Never>? in
                guard !state.done else { return nil }
                state.done = true
                state.outcome = outcome
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(returning: outcome)
        }

        func value() async -> EntryOutcome? {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> (Bool, EntryOutcome?) in
                    if state.done { return (true, state.outcome) }
                    state.continuation = continuation
                    return (false, nil)
                }
                if ready.0 { continuation.resume(returning: ready.1) }
            }
        }
    }

    private let waiters = Mutex<[Int64: [Waiter]]>([:])

    /// Called by the processing stage once an entry's outcome is committed.
    func complete(_ outcomes: [Int64: EntryOutcome]) {
        let reached = waiters.withLock { waiters -> [(Waiter, EntryOutcome)] in
            var reached: [(Waiter, EntryOutcome)] = []
            for (id, outcome) in outcomes {
                guard let list = waiters.removeValue(forKey: id) else { continue }
                reached += list.map { ($0, outcome) }
            }
            return reached
        }
        for (waiter, outcome) in reached { waiter.resolve(outcome) }
    }

    /// The entry's outcome once it is processed or failed for good, `nil` after `timeout`.
    /// `current` reads the stored state, for an entry finished before the wait began.
    func outcome(
        of inboxID: Int64, timeout: Duration, current: @Sendable () async throws -> EntryOutcome?
    ) async throws -> EntryOutcome? {
        let waiter = Waiter()
        waiters.withLock { $0[inboxID, default: []].append(waiter) }
        defer { remove(waiter, for: inboxID) }
        if let finished = try await current() { return finished }
        return await withTaskGroup(of: EntryOutcome?.self) { group in
            group.addTask { await waiter.value() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                waiter.resolve(nil)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            waiter.resolve(nil)
            return first
        }
    }

    private func remove(_ waiter: Waiter, for inboxID: Int64) {
        waiters.withLock { waiters in
            waiters[inboxID]?.removeAll { $0 === waiter }
            if waiters[inboxID]?.isEmpty == true { waiters[inboxID] = nil }
        }
    }
}
