import GRDB
import Synchronization

/// Rings when a transaction that appended to the event log commits, so that followers
/// of the log (streams, long polls, consumers) read at once instead of polling.
package final class EventBell: Sendable {
    private struct State {
        var rings: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// How many times the bell has rung; pass it to ``wait(after:timeout:)``.
    package var rings: UInt64 {
        state.withLock { $0.rings }
    }

    /// Wakes every waiter.
    package func ring() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.rings &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the bell has rung more than `rings` times, after `timeout`, or when cancelled.
    package func wait(after rings: UInt64, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing(after: rings) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing(after rings: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.rings != rings || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}

/// Rings the bell after each commit that inserted into `event`.
final class EventAppendObserver: TransactionObserver, @unchecked Sendable {
    // Touched only on the writer's queue, which serialises every callback.
    private var appended = false
    private let bell: EventBell

    init(bell: EventBell) {
        self.bell = bell
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "event" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        appended = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        if appended {
            appended = false
            bell.ring()
        }
    }

    func databaseDidRollback(_ db: Database) {
        appended = false
    }
}
