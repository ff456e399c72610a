import Foundation

/// How many event-stream sockets each agent has open, and when the last one closed: an agent
/// whose console has been gone longer than the grace is set away by the routing service.
actor ConsoleSockets {
    private var open: [Int64: Int] = [:]
    private var leftAt: [Int64: Date] = [:]

    func opened(_ agentID: Int64) {
        open[agentID, default: 0] += 1
        leftAt[agentID] = nil
    }

    func closed(_ agentID: Int64, at time: Date) {
        let remaining = max(0, open[agentID, default: 1] - 1)
        open[agentID] = remaining == 0 ? nil : remaining
        if remaining == 0 { leftAt[agentID] = time }
    }

    /// Agents whose last socket closed more than `grace` before `now`; each is reported once.
    func gone(grace: TimeInterval, now: Date) -> [Int64] {
        let gone = leftAt.filter { now.timeIntervalSince($0.value) > grace }.map(\.key)
        for id in gone { leftAt[id] = nil }
        return gone.sorted()
    }
}
