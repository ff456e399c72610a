import Foundation
import HubCore

/// `make bench-routing`: a simulated eight-hour day of routing with HubCore's planner and
/// wait estimator, 50 agents with mixed skills and capacities, Poisson arrivals at 80 % of
/// capacity, exponential handle times, agents going away and coming back. It prints the
/// safety counts, the fairness spread, the decision time and the accuracy of the wait estimate.
@main
struct RoutingBenchmark {
    struct Rng {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        mutating func exponential(mean: Double) -> Double { -mean * log(1 - next()) }
    }

    enum Event {
        case arrival(WorkKind, String)
        case finish(Int64, agent: Int64)
        case away(Int64)
        case back(Int64)
    }

    struct Waiting {
        var item: WorkItem
        var estimate: WaitEstimate?
    }

    static func main() async throws {
        var rng = Rng(state: 42)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let hours = ProcessInfo.processInfo.environment["ROUTING_BENCH_HOURS"].flatMap(Double.init) ?? 8
        let day: Double = hours * 3600
        let handleMean: [WorkKind: Double] = [.chat: 360, .async: 900]
        // 50 agents: 30 read Chinese, 10 English, 10 both; capacities vary.
        var agents: [RoutableAgent] = (1...50).map { index in
            let languages = index <= 30 ? ["zh"] : index <= 40 ? ["en"] : ["zh", "en"]
            let capacity = Capacity(chat: 3 + index % 4, async: 10 + (index * 7) % 11)
            return RoutableAgent(id: Int64(index), presence: .online, skills: Skills(languages: languages), capacity: capacity)
        }
        // Arrivals at 80 % of what the agents can serve, split by the languages' share of the capacity.
        var rates: [(WorkKind, String, Double)] = []
        for kind in WorkKind.allCases {
            let slots = agents.reduce(0.0) { $0 + Double($1.capacity[kind]) }
            let total = 0.8 * slots / handleMean[kind]!
            rates.append((kind, "zh", total * 0.7))
            rates.append((kind, "en", total * 0.3))
        }
        let planner = RoutingPlanner(queues: [QueueConfig(id: "all")])
        var events: [(Double, Int, Event)] = []
        var sequence = 0
        func schedule(_ time: Double, _ event: Event) {
            sequence += 1
            events.append((time, sequence, event))
        }
        for (kind, language, rate) in rates {
            var time = rng.exponential(mean: 1 / rate)
            while time < day {
                schedule(time, .arrival(kind, language))
                time += rng.exponential(mean: 1 / rate)
            }
        }
        for agent in agents {
            var time = rng.exponential(mean: 7200)
            while time < day {
                schedule(time, .away(agent.id))
                time += rng.exponential(mean: 600)
                schedule(time, .back(agent.id))
                time += rng.exponential(mean: 7200)
            }
        }
        var queue = EventHeap()
        for event in events { queue.push(event) }

        var waiting: [Int64: Waiting] = [:]
        var holding: [Int64: (agent: Int64, kind: WorkKind, language: String, queuedAt: Double)] = [:]
        var nextID: Int64 = 1
        var decisions: [Double] = []
        var overCapacity = 0
        var doubleAssignments = 0
        var assigned = 0
        var served = 0
        var returned = 0
        var errors: [Double] = []
        var inside = 0
        var early = 0
        var late = 0
        var estimated = 0
        var recentHandle: [WorkKind: (Double, Int)] = [:]
        var occupancy: [Int64: (busy: Double, online: Double)] = [:]
        var lastTime = 0.0
        var freedAt: [Int64: Double] = [:]
        var freeToOffer: [Double] = []
        var longestLine = 0
        let clock = ContinuousClock()

        func handleTime(_ kind: WorkKind) -> Double {
            guard let (sum, count) = recentHandle[kind], count >= 5 else { return handleMean[kind]! }
            return sum / Double(count)
        }

        while let (time, _, event) = queue.pop() {
            // Occupancy is time-weighted while the agent is online.
            for agent in agents where agent.presence == .online {
                let used = WorkKind.allCases.reduce(0.0) { $0 + agent.occupancy($1) } / 2
                occupancy[agent.id, default: (0, 0)].busy += used * (time - lastTime)
                occupancy[agent.id, default: (0, 0)].online += time - lastTime
            }
            lastTime = time
            let now = start.addingTimeInterval(time)
            switch event {
            case .arrival(let kind, let language):
                let item = WorkItem(
                    conversationID: nextID, channelID: kind == .chat ? "web" : "mail", kind: kind, language: language, queueID: "all",
                    queuedAt: now)
                waiting[nextID] = Waiting(item: item)
                nextID += 1
            case .finish(let id, let agentID):
                // A conversation given back and offered again has a newer finish of its own.
                guard let held = holding[id], held.agent == agentID else { continue }
                holding[id] = nil
                if let index = agents.firstIndex(where: { $0.id == agentID }) {
                    agents[index].load[held.kind, default: 0] -= 1
                    // Only a freed slot that some waiting conversation could take counts.
                    if waiting.values.contains(where: { agents[index].isEligible(for: $0.item, in: planner.queues[0]) }) {
                        freedAt[agentID] = time
                    }
                }
                served += 1
            case .away(let agentID):
                guard let index = agents.firstIndex(where: { $0.id == agentID }) else { continue }
                agents[index].presence = .away
                // As the hub does: what they owe goes back to the queue, first in line.
                for (id, held) in holding where held.agent == agentID {
                    holding[id] = nil
                    agents[index].load[held.kind, default: 0] -= 1
                    waiting[id] = Waiting(
                        item: WorkItem(
                            conversationID: id, channelID: held.kind == .chat ? "web" : "mail", kind: held.kind, language: held.language,
                            queueID: "all", queuedAt: start.addingTimeInterval(held.queuedAt)))
                    returned += 1
                }
            case .back(let agentID):
                guard let index = agents.firstIndex(where: { $0.id == agentID }) else { continue }
                agents[index].presence = .online
                if waiting.values.contains(where: { agents[index].isEligible(for: $0.item, in: planner.queues[0]) }) {
                    freedAt[agentID] = time
                }
            }

            let began = clock.now
            let plan = planner.plan(waiting: waiting.values.map(\.item), agents: agents, now: now)
            decisions.append((clock.now - began).seconds)
            for assignment in plan {
                guard let entry = waiting.removeValue(forKey: assignment.conversationID) else {
                    doubleAssignments += 1
                    continue
                }
                if holding[assignment.conversationID] != nil { doubleAssignments += 1 }
                guard let index = agents.firstIndex(where: { $0.id == assignment.agentID }) else { continue }
                agents[index].load[entry.item.kind, default: 0] += 1
                if agents[index].load[entry.item.kind, default: 0] > agents[index].capacity[entry.item.kind] { overCapacity += 1 }
                let queuedAt = entry.item.queuedAt.timeIntervalSince(start)
                holding[assignment.conversationID] = (assignment.agentID, entry.item.kind, entry.item.language ?? "zh", queuedAt)
                assigned += 1
                if let freed = freedAt.removeValue(forKey: assignment.agentID) { freeToOffer.append(time - freed) }
                let waited = time - queuedAt
                if let estimate = entry.estimate {
                    errors.append(abs(estimate.seconds - waited) / max(waited, 60))
                    // The range the customer is shown: whole minutes, rounded outwards.
                    let shown = (low: Double(estimate.minutes.low) * 60, high: Double(estimate.minutes.high) * 60)
                    if waited >= shown.low && waited <= shown.high {
                        inside += 1
                    } else if waited < shown.low {
                        early += 1
                    } else {
                        late += 1
                    }
                    estimated += 1
                }
                let handle = rng.exponential(mean: handleMean[entry.item.kind]!)
                recentHandle[entry.item.kind, default: (0, 0)].0 += handle
                recentHandle[entry.item.kind, default: (0, 0)].1 += 1
                sequence += 1
                queue.push((time + handle, sequence, .finish(assignment.conversationID, agent: assignment.agentID)))
            }
            if waiting.count > longestLine, ProcessInfo.processInfo.environment["ROUTING_BENCH_DEBUG"] != nil, waiting.count % 100 == 0 {
                var lines: [String: Int] = [:]
                for entry in waiting.values { lines["\(entry.item.kind.rawValue)/\(entry.item.language ?? "")", default: 0] += 1 }
                let held = WorkKind.allCases.map { kind in
                    "\(kind.rawValue) \(agents.reduce(0) { $0 + $1.load[kind, default: 0] })/\(agents.filter { $0.presence == .online }.reduce(0) { $0 + $1.capacity[kind] })"
                }
                print("  t=\(Int(time)) s line \(waiting.count): \(lines.sorted { $0.key < $1.key }) held \(held)")
            }
            longestLine = max(longestLine, waiting.count)
            // Whoever is still waiting and has no estimate yet is told one now, as the hub tells the customer.
            let order = planner.servingOrder(waiting.values.map(\.item))
            var before: [String: Int] = [:]
            for item in order {
                let key = "\(item.kind.rawValue)/\(item.language ?? "")"
                let ahead = before[key, default: 0]
                before[key] = ahead + 1
                guard waiting[item.conversationID]?.estimate == nil else { continue }
                let able = agents.filter { $0.presence == .online && $0.hasSkills(for: item, in: planner.queues[0]) }
                let slots = able.reduce(0) { $0 + $1.capacity[item.kind] }
                let busy = able.reduce(0) { $0 + min($1.load[item.kind, default: 0], $1.capacity[item.kind]) }
                waiting[item.conversationID]?.estimate = WaitEstimator.estimate(
                    ahead: ahead, slots: slots, busySlots: busy, handleTime: handleTime(item.kind), answerTime: 0)
            }
        }

        if ProcessInfo.processInfo.environment["ROUTING_BENCH_DEBUG"] != nil {
            var lines: [String: Int] = [:]
            for entry in waiting.values { lines["\(entry.item.kind.rawValue)/\(entry.item.language ?? "")", default: 0] += 1 }
            print("  still waiting at the end: \(lines.sorted { $0.key < $1.key })")
            for kind in WorkKind.allCases {
                print(
                    "  \(kind.rawValue): slots \(agents.reduce(0) { $0 + $1.capacity[kind] }), held \(agents.reduce(0) { $0 + $1.load[kind, default: 0] }), online \(agents.filter { $0.presence == .online }.count)"
                )
            }
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            guard !values.isEmpty else { return 0 }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
        }
        var spreads: [String: Double] = [:]
        let groups: [(String, ClosedRange<Int64>)] = [("zh", 1...30), ("en", 31...40), ("zh+en", 41...50)]
        for (group, ids) in groups {
            var shares: [Double] = []
            for id in ids {
                guard let share = occupancy[id], share.online > 0 else { continue }
                shares.append(share.busy / share.online * 100)
            }
            spreads[group] = (shares.max() ?? 0) - (shares.min() ?? 0)
        }
        print(
            "routing simulation: 50 agents, \(hours) h, arrivals at 80 % of capacity, exponential handle times (chat 6 min, async 15 min)")
        print(
            "  conversations: \(nextID - 1) arrived, \(assigned) offers, \(served) served, \(returned) returned by agents going away, longest line \(longestLine)"
        )
        print("  over-capacity assignments: \(overCapacity)")
        print("  double assignments: \(doubleAssignments)")
        print(
            String(
                format: "  occupancy spread between agents of one skill group: zh %.1f, en %.1f, zh+en %.1f points",
                spreads["zh"]!, spreads["en"]!, spreads["zh+en"]!))
        print(
            String(
                format:
                    "  agent freed while eligible work waited, to their next offer (simulated time): p50 %.3f s, p99 %.3f s, max %.3f s (%d cases)",
                percentile(freeToOffer, 0.5), percentile(freeToOffer, 0.99), freeToOffer.max() ?? 0, freeToOffer.count))
        print(
            String(
                format: "  assignment decision (plan over the whole queue): p50 %.3f ms, p99 %.3f ms, max %.3f ms over %d rounds",
                percentile(decisions, 0.5) * 1000, percentile(decisions, 0.99) * 1000, (decisions.max() ?? 0) * 1000, decisions.count))
        print(
            String(
                format:
                    "  wait estimate: %d customers told a wait; median absolute error %.1f %% of the actual wait (floor 60 s); %.1f %% inside the shown range (%d shorter, %d longer)",
                estimated, percentile(errors, 0.5) * 100, estimated > 0 ? Double(inside) / Double(estimated) * 100 : 0, early, late))
        try await StorageRounds.measure()
    }
}

/// The simulation's future events, earliest first (ties by the order they were scheduled).
struct EventHeap {
    private var items: [(Double, Int, RoutingBenchmark.Event)] = []

    private static func earlier(_ a: (Double, Int, RoutingBenchmark.Event), _ b: (Double, Int, RoutingBenchmark.Event)) -> Bool {
        (a.0, a.1) < (b.0, b.1)
    }

    mutating func push(_ item: (Double, Int, RoutingBenchmark.Event)) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.earlier(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Double, Int, RoutingBenchmark.Event)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && Self.earlier(items[left], items[smallest]) { smallest = left }
            if right < items.count && Self.earlier(items[right], items[smallest]) { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
