package import Foundation
import GRDB
package import HubCore

/// What one routing round did.
package struct RoutingRound: Sendable, Hashable {
    package var assignments: [Assignment] = []
    /// Offers that lapsed and conversations given back by agents who went away.
    package var returned = 0
    package var woken = 0
    package var notices = 0
    /// Outbox entries the round queued (wait notices): the dispatcher should look.
    package var queuedSends: Bool { notices > 0 }
}

/// Why a claim was refused.
package enum ClaimRefusal: Error, Sendable, Hashable {
    case unknownConversation
    case alreadyAssigned(to: Int64?)
    case notQueued(ConversationStatus)
    case overCapacity(WorkKind)
    case notOnline
}

/// Routing in storage: each round reads the queue and the agents and commits its offers in
/// one transaction of the single writer, and a claim is one conditional UPDATE
/// (`… WHERE status = 'queued'`): of any number of racing claims exactly one changes the row.
/// On PostgreSQL the same round takes its rows `FOR UPDATE SKIP LOCKED`, so that several
/// hubs route side by side without offering one conversation twice.
package struct RoutingStore: Sendable {
    let database: HubDatabase
    let settings: RoutingSettings
    /// The kind of work each channel brings (live chat or asynchronous).
    let kinds: [ChannelID: WorkKind]
    /// What each channel allows, so that a wait notice is never sent where the channel forbids it.
    let capabilities: [ChannelID: ChannelCapabilities]

    package init(
        database: HubDatabase, settings: RoutingSettings, kinds: [ChannelID: WorkKind], capabilities: [ChannelID: ChannelCapabilities] = [:]
    ) {
        self.database = database
        self.settings = settings
        self.kinds = kinds
        self.capabilities = capabilities
    }

    var planner: RoutingPlanner { RoutingPlanner(settings: settings) }

    /// Sets presence `away` for the agents in `leftSockets` whose console left longer ago than
    /// the grace, then runs ``round(now:)``.
    package func markAway(_ agentIDs: [Int64], now: Date) async throws {
        guard !agentIDs.isEmpty else { return }
        try await database.writer.write { db in
            for id in agentIDs {
                guard var record = try AgentRecord.fetchOne(db, key: id), record.presence == .online else { continue }
                record.presence = .away
                record.presenceAt = now
                try record.update(db)
                try AgentStore.logPresence(record, actor: "console socket closed", at: now, in: db)
                try Self.returnWork(ofAgent: id, reason: "the agent's console closed", now: now, in: db)
            }
        }
    }

    /// One routing round: lapsed offers go back, snoozed conversations wake, waiting work is
    /// offered to eligible agents, and customers still waiting are told their place.
    package func round(now: Date) async throws -> RoutingRound {
        let planner = planner
        let settings = settings
        let kinds = kinds
        let capabilities = capabilities
        return try await database.writer.write { db in
            var outcome = RoutingRound()
            outcome.returned = try Self.expireOffers(planner: planner, now: now, in: db)
            outcome.woken = try Self.wakeSnoozed(now: now, in: db)
            let agents = try WorkQueries.agents(kinds: kinds, in: db)
            // A hub without agent accounts does not route: the queue is not even read, so that
            // a backlog of work nobody takes costs the processing stage nothing.
            guard !agents.isEmpty else { return outcome }
            var waiting = try WorkQueries.waiting(kinds: kinds, analysedBefore: now.addingTimeInterval(-Self.analysisWait), in: db)
            // Each waiting conversation keeps the queue it first matched, and that queue's team.
            for index in waiting.indices where waiting[index].queueID == nil {
                let queue = planner.queue(for: waiting[index])
                waiting[index].queueID = queue.id
                try db.execute(
                    sql: "UPDATE conversation SET queue_id = ?, team = COALESCE(team, ?) WHERE id = ?",
                    arguments: [queue.id, queue.team, waiting[index].conversationID])
                if waiting[index].team == nil { waiting[index].team = queue.team }
            }
            for assignment in planner.plan(waiting: waiting, agents: agents, now: now) {
                try db.execute(
                    sql: """
                        UPDATE conversation SET status = 'open', assignee_id = ?, queue_id = ?, assigned_at = ?, accepted_at = NULL,
                            updated_at = ?
                        WHERE id = ? AND status = 'queued'
                        """, arguments: [assignment.agentID, assignment.queueID, now, now, assignment.conversationID])
                guard db.changesCount > 0 else { continue }
                try db.execute(sql: "UPDATE agent SET last_assigned_at = ? WHERE id = ?", arguments: [now, assignment.agentID])
                try ConversationWorkflow.logChange(
                    .conversationAssigned, conversationID: assignment.conversationID, actor: "routing",
                    detail: ["reason": "offered", "queue": assignment.queueID], now: now, in: db)
                try AuditLedger.append(
                    AuditEntry(
                        at: now, actor: "routing", action: "conversation.assign", target: "conversation:\(assignment.conversationID)",
                        detail: "offered to agent:\(assignment.agentID) from queue \(assignment.queueID)"), in: db)
                outcome.assignments.append(assignment)
            }
            // A hub with no agent accounts does not route (integration tokens answer): nobody is told to wait.
            if settings.waitMessages && !agents.isEmpty {
                let taken = Set(outcome.assignments.map(\.conversationID))
                let still = waiting.filter { !taken.contains($0.conversationID) }
                let kindOf = Dictionary(waiting.map { ($0.conversationID, $0.kind) }, uniquingKeysWith: { first, _ in first })
                outcome.notices = try WaitNotices.send(
                    waiting: still, planner: planner, agents: agents,
                    assigned: outcome.assignments.map { ($0.agentID, kindOf[$0.conversationID] ?? .async) }, capabilities: capabilities,
                    now: now, in: db)
            }
            return outcome
        }
    }

    /// Offers nobody accepted within their queue's `answer_within` go back, the agent
    /// remembered so that someone else is offered it first.
    static func expireOffers(planner: RoutingPlanner, now: Date, in db: Database) throws -> Int {
        let offers = try Row.fetchAll(
            db,
            sql: """
                SELECT id, assignee_id, queue_id, assigned_at, declined_by FROM conversation
                WHERE status = 'open' AND accepted_at IS NULL AND assigned_at IS NOT NULL
                """)
        var returned = 0
        for row in offers {
            let assignedAt: Date = row["assigned_at"]
            let queue = planner.queue(id: row["queue_id"]) ?? planner.queues[planner.queues.count - 1]
            guard now.timeIntervalSince(assignedAt) >= queue.answerWithin.timeInterval else { continue }
            let id: Int64 = row["id"]
            let agent: Int64 = row["assignee_id"]
            var declined = JSONList.decode(row["declined_by"])
            if !declined.contains(String(agent)) { declined.append(String(agent)) }
            try db.execute(
                sql: """
                    UPDATE conversation SET status = 'queued', assignee_id = NULL, assigned_at = NULL, declined_by = ?,
                        queued_at = COALESCE(waiting_since, queued_at, ?), updated_at = ?
                    WHERE id = ?
                    """, arguments: [JSONList.encode(declined), now, now, id])
            try ConversationWorkflow.logChange(
                .conversationAssigned, conversationID: id, actor: "routing",
                detail: ["reason": "the offer to agent \(agent) lapsed after \(Int(queue.answerWithin.timeInterval)) s"], now: now, in: db)
            returned += 1
        }
        return returned
    }

    /// Snoozed conversations whose time came: back to their agent when online, else queued.
    static func wakeSnoozed(now: Date, in db: Database) throws -> Int {
        let due = try Int64.fetchAll(
            db, sql: "SELECT id FROM conversation WHERE status = 'snoozed' AND snoozed_until <= ?", arguments: [now])
        for id in due {
            guard let state = try ConversationWorkflow.state(id, in: db) else { continue }
            let target: ConversationStatus = try ConversationWorkflow.isAvailable(state.assignee, in: db) ? .open : .queued
            try ConversationWorkflow.move(state, to: target, actor: "routing", reason: "the snooze ended", now: now, in: db)
        }
        return due.count
    }

    /// Gives the conversations an agent owes an answer on back to their queue: a conversation
    /// never sits with an agent who is not online.
    static func returnWork(ofAgent agentID: Int64, reason: String, now: Date, in db: Database) throws {
        let held = try Int64.fetchAll(
            db, sql: "SELECT id FROM conversation WHERE assignee_id = ? AND status = 'open'", arguments: [agentID])
        for id in held {
            guard let state = try ConversationWorkflow.state(id, in: db) else { continue }
            try ConversationWorkflow.move(state, to: .queued, actor: "routing", reason: reason, now: now, in: db)
        }
    }

    // MARK: Claims

    /// Gives a queued conversation (or one offered to this agent) to `agentID`.
    package func claim(conversationID: ConversationID, agentID: Int64, now: Date) async throws -> Result<WorkItemView, ClaimRefusal> {
        let kinds = kinds
        return try await database.writer.write { db in
            try Self.claim(conversationID: conversationID, agentID: agentID, kinds: kinds, reason: "claimed", now: now, in: db)
        }
    }

    static func claim(
        conversationID: ConversationID, agentID: Int64, kinds: [ChannelID: WorkKind], reason: String, now: Date, in db: Database
    ) throws -> Result<WorkItemView, ClaimRefusal> {
        guard let state = try ConversationWorkflow.state(conversationID, in: db) else { return .failure(.unknownConversation) }
        if state.assignee == agentID && state.status == .open {
            try db.execute(
                sql: "UPDATE conversation SET accepted_at = COALESCE(accepted_at, ?) WHERE id = ?", arguments: [now, conversationID])
            return try WorkQueries.item(conversationID, now: now, in: db).map { .success($0) } ?? .failure(.unknownConversation)
        }
        guard state.status == .queued else {
            return .failure(state.assignee != nil ? .alreadyAssigned(to: state.assignee) : .notQueued(state.status))
        }
        guard let agent = try WorkQueries.agents(kinds: kinds, in: db).first(where: { $0.id == agentID }) else {
            return .failure(.notOnline)
        }
        guard agent.presence == .online else { return .failure(.notOnline) }
        let kind = kinds[state.channelID] ?? .async
        guard agent.load[kind, default: 0] < agent.capacity[kind] else { return .failure(.overCapacity(kind)) }
        try db.execute(
            sql: """
                UPDATE conversation SET status = 'open', assignee_id = ?, assigned_at = ?, accepted_at = ?, updated_at = ?
                WHERE id = ? AND status = 'queued'
                """, arguments: [agentID, now, now, now, conversationID])
        guard db.changesCount == 1 else { return .failure(.alreadyAssigned(to: nil)) }
        try db.execute(sql: "UPDATE agent SET last_assigned_at = ? WHERE id = ?", arguments: [now, agentID])
        try ConversationWorkflow.logChange(
            .conversationAssigned, conversationID: conversationID, actor: "agent:\(agentID)", detail: ["reason": reason], now: now, in: db)
        return try WorkQueries.item(conversationID, now: now, in: db).map { .success($0) } ?? .failure(.unknownConversation)
    }

    /// The next conversation of `queueID` that `agentID` may take, given to them; `nil` when none waits for them.
    package func next(queueID: String, agentID: Int64, now: Date) async throws -> Result<WorkItemView, ClaimRefusal>? {
        let planner = planner
        let kinds = kinds
        return try await database.writer.write { db in
            guard let agent = try WorkQueries.agents(kinds: kinds, in: db).first(where: { $0.id == agentID }) else {
                return .failure(.notOnline)
            }
            guard agent.presence == .online else { return .failure(.notOnline) }
            var waiting = try WorkQueries.waiting(kinds: kinds, in: db)
            for index in waiting.indices where waiting[index].queueID == nil {
                waiting[index].queueID = planner.queue(for: waiting[index]).id
            }
            guard let work = planner.next(for: agent, queueID: queueID, waiting: waiting) else { return nil }
            try db.execute(
                sql: "UPDATE conversation SET queue_id = ? WHERE id = ?", arguments: [queueID, work.conversationID])
            return try Self.claim(
                conversationID: work.conversationID, agentID: agentID, kinds: kinds, reason: "taken from queue \(queueID)", now: now, in: db
            )
        }
    }

    /// How long routing waits for assist to read a new customer message (its intent may
    /// choose the queue); assist takes milliseconds, so this only matters when it is down.
    static let analysisWait: TimeInterval = 3

    // MARK: Queues

    /// Each queue's waiting count, longest wait, agents and current estimate.
    package func queues(now: Date) async throws -> [QueueStatus] {
        let planner = planner
        let kinds = kinds
        return try await database.writer.read { db in
            let agents = try WorkQueries.agents(kinds: kinds, in: db)
            var waiting = try WorkQueries.waiting(kinds: kinds, in: db)
            for index in waiting.indices where waiting[index].queueID == nil {
                waiting[index].queueID = planner.queue(for: waiting[index]).id
            }
            let stats = try HandleStatistics.recent(now: now, kinds: kinds, in: db)
            return planner.queues.map { queue in
                let mine = waiting.filter { $0.queueID == queue.id }
                let members = agents.filter { agent in queue.team.map { agent.teams.contains($0) } ?? true }
                let online = members.filter { $0.presence == .online }
                // The estimate for one more asynchronous (or, for chat-only queues, chat) conversation.
                let kind: WorkKind =
                    queue.match.channels.allSatisfy { kinds[$0] == .chat } && !queue.match.channels.isEmpty ? .chat : .async
                let slots = online.reduce(0) { $0 + $1.capacity[kind] }
                let busy = online.reduce(0) { $0 + min($1.load[kind, default: 0], $1.capacity[kind]) }
                let estimate = WaitEstimator.estimate(
                    ahead: mine.count, slots: slots, busySlots: busy, handleTime: stats.handleTime(kind), answerTime: stats.answerTime)
                let available = online.filter { $0.load[kind, default: 0] < $0.capacity[kind] }.count
                let longest = mine.map { Int(now.timeIntervalSince($0.queuedAt)) }.max() ?? 0
                return QueueStatus(
                    id: queue.id, team: queue.team, policy: queue.policy, waiting: mine.count, longestWaitSeconds: max(0, longest),
                    agentsAvailable: available, agentsOnline: online.count,
                    estimateMinutes: estimate.map { [$0.minutes.low, $0.minutes.high] })
            }
        }
    }
}
