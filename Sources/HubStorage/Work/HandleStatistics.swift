import Foundation
import GRDB
import HubCore

/// Recent handle and answer times, from the conversations agents finished: what the wait
/// estimate multiplies the line by.
struct HandleStatistics {
    /// Mean seconds from assignment to resolution, per kind of work.
    var handle: [WorkKind: Double]
    /// Mean seconds from an offer to the agent accepting it.
    var answerTime: Double

    /// Until there is history: five minutes for a chat, fifteen for asynchronous work.
    static let defaults: [WorkKind: Double] = [.chat: 300, .async: 900]

    func handleTime(_ kind: WorkKind) -> Double {
        handle[kind] ?? Self.defaults[kind] ?? 600
    }

    /// From the last 200 conversations resolved in the past week.
    static func recent(now: Date, kinds: [ChannelID: WorkKind] = [:], in db: Database) throws -> HandleStatistics {
        var sums: [WorkKind: (Double, Int)] = [:]
        var answer = (0.0, 0)
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT channel_id, assigned_at, accepted_at, resolved_at FROM conversation
                WHERE resolved_at IS NOT NULL AND assigned_at IS NOT NULL AND resolved_at > ?
                ORDER BY resolved_at DESC LIMIT 200
                """, arguments: [now.addingTimeInterval(-7 * 86_400)])
        {
            let channelID: String = row[0]
            let assigned: Date = row[1]
            let accepted: Date? = row[2]
            let resolved: Date = row[3]
            let kind = kinds[channelID] ?? .async
            let seconds = max(1, resolved.timeIntervalSince(assigned))
            sums[kind, default: (0, 0)].0 += seconds
            sums[kind, default: (0, 0)].1 += 1
            if let accepted {
                answer.0 += max(0, accepted.timeIntervalSince(assigned))
                answer.1 += 1
            }
        }
        // A handful of conversations says little; below five the defaults stand.
        let handle = sums.compactMapValues { $0.1 >= 5 ? $0.0 / Double($0.1) : nil }
        return HandleStatistics(handle: handle, answerTime: answer.1 >= 5 ? answer.0 / Double(answer.1) : 30)
    }
}

/// Tells customers still waiting their place in line and the expected wait, on their own
/// channel, inside the round's transaction.
enum WaitNotices {
    static func send(
        waiting: [WorkItem], planner: RoutingPlanner, agents: [RoutableAgent], assigned: [(agentID: Int64, kind: WorkKind)],
        capabilities: [ChannelID: ChannelCapabilities], now: Date, in db: Database
    ) throws -> Int {
        guard !waiting.isEmpty else { return 0 }
        // Agents after this round's offers: their new load counts.
        var agents = agents
        for assignment in assigned {
            guard let index = agents.firstIndex(where: { $0.id == assignment.agentID }) else { continue }
            agents[index].load[assignment.kind, default: 0] += 1
        }
        let kinds = Dictionary(waiting.map { ($0.channelID, $0.kind) }, uniquingKeysWith: { first, _ in first })
        let stats = try HandleStatistics.recent(now: now, kinds: kinds, in: db)
        let ordered = planner.servingOrder(waiting)
        var sent = 0
        for work in ordered {
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT wait_notice_position, wait_notice_range FROM conversation WHERE id = ?",
                    arguments: [work.conversationID])
            else { continue }
            let lastPosition: Int? = row[0]
            // -1: no notice is owed (conversations that were waiting before routing existed).
            if lastPosition == -1 { continue }
            let queue = planner.queue(id: work.queueID) ?? planner.queue(for: work)
            var effective = queue
            if let team = work.team { effective.team = team }
            // Those ahead: earlier in serving order and servable by the same agents.
            let ahead = ordered.prefix { $0.conversationID != work.conversationID }.filter { other in
                other.kind == work.kind && (other.queueID == work.queueID || other.team == work.team)
            }.count
            let able = agents.filter { $0.active && $0.presence == .online && $0.hasSkills(for: work, in: effective) }
            let slots = able.reduce(0) { $0 + $1.capacity[work.kind] }
            let busy = able.reduce(0) { $0 + min($1.load[work.kind, default: 0], $1.capacity[work.kind]) }
            let estimate = WaitEstimator.estimate(
                ahead: ahead, slots: slots, busySlots: busy, handleTime: stats.handleTime(work.kind), answerTime: stats.answerTime)
            let range = estimate.map { "\($0.minutes.low)-\($0.minutes.high)" } ?? "none"
            let position = ahead + 1
            guard WaitMessage.worthUpdating(lastPosition: lastPosition, lastRange: row[1], position: position, range: range) else {
                continue
            }
            let text = WaitMessage.text(position: position, estimate: estimate, language: work.language)
            do {
                _ = try db.inSavepoint {
                    _ = try OutboxStore.enqueue(
                        conversationID: work.conversationID, parts: [.text(text)], author: Author(role: .system, name: "Tributary"),
                        agentID: nil, capabilities: { capabilities[$0] }, now: now, in: db)
                    return .commit
                }
                sent += 1
            } catch let refusal as HubError {
                // The channel forbids writing now (WeChat's 48 hours, an opt-out): stay silent,
                // and remember the place so that the next round does not try again at once.
                _ = refusal
            }
            try db.execute(
                sql: "UPDATE conversation SET wait_notice_position = ?, wait_notice_range = ? WHERE id = ?",
                arguments: [position, range, work.conversationID])
        }
        return sent
    }
}
