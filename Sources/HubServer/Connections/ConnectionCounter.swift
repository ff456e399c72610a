import Synchronization

/// Open connections per client address, shared by every event loop's connections. A mutex, not
/// an actor: NIO's channel handlers decide synchronously on their event loop whether to accept.
final class ConnectionCounter: Sendable {
    let capPerAddress: Int
    private let open = Mutex<[String: Int]>([:])

    init(capPerAddress: Int) {
        self.capPerAddress = capPerAddress
    }

    /// Counts one more connection from `address`; `false` (and nothing counted) when it already
    /// holds the cap.
    func admit(_ address: String) -> Bool {
        open.withLock { counts in
            let current = counts[address, default: 0]
            guard current < capPerAddress else { return false }
            counts[address] = current + 1
            return true
        }
    }

    func release(_ address: String) {
        open.withLock { counts in
            guard let current = counts[address] else { return }
            counts[address] = current > 1 ? current - 1 : nil
        }
    }

    /// Connections `address` holds now.
    func count(_ address: String) -> Int {
        open.withLock { $0[address, default: 0] }
    }
}
