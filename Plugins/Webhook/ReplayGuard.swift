import Foundation
import Synchronization

/// Signed deliveries seen within the timestamp window: the same id with the same
/// timestamp again is a replay (a provider's retry carries a new timestamp).
final class ReplayGuard: Sendable {
    private let seen = Mutex<[String: Date]>([:])
    private let window: TimeInterval

    init(window: TimeInterval) {
        self.window = window
    }

    /// Records `key`; `false` when it was already seen inside the window.
    func firstSighting(_ key: String, at now: Date) -> Bool {
        seen.withLock { seen in
            if seen.count > 10_000 { seen = seen.filter { now.timeIntervalSince($0.value) <= window * 2 } }
            if let earlier = seen[key], now.timeIntervalSince(earlier) <= window * 2 { return false }
            seen[key] = now
            return true
        }
    }
}
