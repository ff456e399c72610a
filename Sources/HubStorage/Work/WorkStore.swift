package import Foundation
import GRDB
package import HubCore

/// A change to a conversation's work fields; `nil` leaves a field alone.
package struct ConversationChanges: Sendable {
    package var status: ConversationStatus?
    package var priority: ConversationPriority?
    package var labels: [String]?
    /// `.some(nil)` unassigns.
    package var assignee: Int64??
    /// `.some(nil)` clears the team.
    package var team: String??
    package var snoozedUntil: Date?
    /// An agent's conversation type; `.some(nil)` gives the type back to assist.
    package var type: String??

    package init(
        status: ConversationStatus? = nil, priority: ConversationPriority? = nil, labels: [String]? = nil, assignee: Int64?? = nil,
        team: String?? = nil, snoozedUntil: Date? = nil, type: String?? = nil
    ) {
        self.type = type
        self.status = status
        self.priority = priority
        self.labels = labels
        self.assignee = assignee
        self.team = team
        self.snoozedUntil = snoozedUntil
    }
}

/// Which conversations a list shows.
package struct ConversationFilter: Sendable {
    package enum View: String, Sendable, CaseIterable {
        case mine, unassigned, team, all
    }

    package var view: View = .all
    package var status: ConversationStatus?
    package var channel: ChannelID?
    package var label: String?
    package var priority: ConversationPriority?
    package var query: String?
    /// Only the conversations of this customer and of everyone merged into them.
    package var customer: CustomerID?
    /// Rows older (by last message) than this cursor: `last_message_at|id`.
    package var before: (Date, Int64)?
    package var limit = 50

    package init() {}
}

/// Who asks, for what they may see: an agent sees their teams' conversations (and those of no
/// team), and their own; other roles and integration tokens see everything.
package struct Viewer: Sendable {
    package var agentID: Int64?
    package var teams: [String]
    package var seesAll: Bool

    package init(agentID: Int64?, teams: [String], seesAll: Bool) {
        self.agentID = agentID
        self.teams = teams
        self.seesAll = seesAll
    }

    /// SQL that limits `c` (the conversation) to what the viewer sees, with its arguments.
    var condition: (String, [any DatabaseValueConvertible & Sendable]) {
        guard !seesAll else { return ("1", []) }
        let placeholders = teams.map { _ in "?" }.joined(separator: ", ")
        let inTeams = teams.isEmpty ? "0" : "c.team IN (\(placeholders))"
        return ("(c.assignee_id = ? OR c.team IS NULL OR \(inTeams))", [agentID ?? -1] + teams)
    }

    package func sees(_ item: WorkItemView) -> Bool {
        seesAll || item.assignee == agentID || item.team == nil || teams.contains(item.team ?? "")
    }
}

/// Why a change was refused.
package enum WorkRefusal: Error, Sendable, Hashable {
    case transition(String)
    case unknownAgent
    case unknownTeam
    case agentUnavailable
}

/// The conversation workflow for agents: lists, changes, notes and transfers.
package struct WorkStore: Sendable {
    let database: HubDatabase
    let teams: Set<String>
    /// The channels whose bot is on: only their conversations can be handed back to it.
    let botChannels: Set<ChannelID>

    package init(database: HubDatabase, teams: Set<String>, botChannels: Set<ChannelID> = []) {
        self.database = database
        self.teams = teams
        self.botChannels = botChannels
    }

    /// Of `ids`, those `viewer` may not see.
    package func hidden(_ ids: Set<ConversationID>, from viewer: Viewer) async throws -> Set<ConversationID> {
        guard !viewer.seesAll, !ids.isEmpty else { return [] }
        return try await database.writer.read { db in
            let (visible, arguments) = viewer.condition
            let marks = ids.map { _ in "?" }.joined(separator: ", ")
            return Set(
                try Int64.fetchAll(
                    db, sql: "SELECT c.id FROM conversation c WHERE c.id IN (\(marks)) AND NOT \(visible)",
                    arguments: StatementArguments(ids.sorted() + arguments)))
        }
    }

    package func item(_ id: ConversationID, now: Date) async throws -> WorkItemView? {
        try await database.writer.read { db in try WorkQueries.item(id, now: now, in: db) }
    }

    /// A page of conversations, the most recently active first, with the cursor of the next.
    package func list(_ filter: ConversationFilter, viewer: Viewer, now: Date) async throws -> (items: [WorkItemView], next: String?) {
        try await database.writer.read { db in
            var clauses: [String] = []
            var arguments: [any DatabaseValueConvertible & Sendable] = []
            let (visible, visibleArguments) = viewer.condition
            clauses.append(visible)
            arguments += visibleArguments
            switch filter.view {
            case .all: break
            case .mine:
                clauses.append("c.assignee_id = ?")
                arguments.append(viewer.agentID ?? -1)
            case .unassigned:
                clauses.append("c.assignee_id IS NULL AND c.status NOT IN ('resolved', 'closed')")
            case .team:
                let placeholders = viewer.teams.map { _ in "?" }.joined(separator: ", ")
                clauses.append(viewer.teams.isEmpty ? "0" : "c.team IN (\(placeholders))")
                arguments += viewer.teams
            }
            if let status = filter.status {
                clauses.append("c.status = ?")
                arguments.append(status.rawValue)
            }
            if let channel = filter.channel {
                clauses.append("c.channel_id = ?")
                arguments.append(channel)
            }
            if let priority = filter.priority {
                clauses.append("c.priority = ?")
                arguments.append(priority.rawValue)
            }
            if let customer = filter.customer {
                clauses.append(
                    "c.customer_id IN (SELECT id FROM customer WHERE root_id = (SELECT root_id FROM customer WHERE id = ?))")
                arguments.append(customer)
            }
            if let label = filter.label {
                clauses.append("EXISTS (SELECT 1 FROM json_each(c.labels) WHERE json_each.value = ?)")
                arguments.append(label)
            }
            if let query = filter.query {
                var alternatives = ["c.subject LIKE ? ESCAPE '\\'", "cu.display_name LIKE ? ESCAPE '\\'"]
                let pattern = SearchText.likePattern(query)
                arguments += [pattern, pattern]
                if let match = SearchText.matchExpression(query) {
                    alternatives.append(
                        "c.id IN (SELECT conversation_id FROM message WHERE id IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?))"
                    )
                    arguments.append(match)
                }
                clauses.append("(" + alternatives.joined(separator: " OR ") + ")")
            }
            if let (time, id) = filter.before {
                clauses.append("(c.last_message_at < ? OR (c.last_message_at = ? AND c.id < ?))")
                arguments += [time, time, id]
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(WorkQueries.columns) FROM conversation c
                    LEFT JOIN agent a ON a.id = c.assignee_id
                    LEFT JOIN customer cu ON cu.id = c.customer_id
                    WHERE \(clauses.joined(separator: " AND "))
                    ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?
                    """, arguments: StatementArguments(arguments + [filter.limit + 1]))
            let items = try rows.prefix(filter.limit).map { try WorkQueries.view($0, now: now, in: db) }
            let next = rows.count > filter.limit ? items.last.map { "\(JSONText.timestamp($0.lastMessageAt))|\($0.id)" } : nil
            return (items, next)
        }
    }

    /// Applies `changes` by `actor`; the state machine decides which moves are allowed.
    package func update(
        _ id: ConversationID, _ changes: ConversationChanges, actor: String, now: Date
    ) async throws -> Result<WorkItemView, WorkRefusal>? {
        let teams = teams
        let botChannels = botChannels
        return try await database.writer.write { db in
            guard var state = try ConversationWorkflow.state(id, in: db) else { return nil }
            if changes.status == .bot, state.status != .bot, !botChannels.contains(state.channelID) {
                return .failure(.transition("channel '\(state.channelID)' has no bot to hand the conversation back to"))
            }
            if let type = changes.type {
                if let type {
                    try db.execute(sql: "UPDATE conversation SET type = ?, type_set_by = ? WHERE id = ?", arguments: [type, actor, id])
                } else {
                    // Assist's type comes back with the next analysed message.
                    try db.execute(sql: "UPDATE conversation SET type_set_by = NULL WHERE id = ?", arguments: [id])
                }
                try ConversationWorkflow.logChange(
                    .conversationUpdated, conversationID: id, actor: actor, detail: ["reason": "type set", "type": type ?? "assist"],
                    now: now,
                    in: db)
            }
            if let team = changes.team {
                if let team, !teams.contains(team) { return .failure(.unknownTeam) }
                try db.execute(sql: "UPDATE conversation SET team = ?, updated_at = ? WHERE id = ?", arguments: [team, now, id])
                try ConversationWorkflow.logChange(
                    .conversationAssigned, conversationID: id, actor: actor, detail: ["reason": "team set"], now: now, in: db)
            }
            if let assignee = changes.assignee {
                if let agentID = assignee {
                    guard let record = try AgentRecord.fetchOne(db, key: agentID), record.active else { return .failure(.unknownAgent) }
                    guard record.presence == .online else { return .failure(.agentUnavailable) }
                    let target: ConversationStatus = [.open, .pending, .snoozed].contains(state.status) ? state.status : .open
                    try db.execute(
                        sql: """
                            UPDATE conversation SET assignee_id = ?, status = ?, assigned_at = ?, accepted_at = ?, resolved_at = NULL,
                                updated_at = ?
                            WHERE id = ?
                            """, arguments: [agentID, target.rawValue, now, now, now, id])
                    try db.execute(sql: "UPDATE agent SET last_assigned_at = ? WHERE id = ?", arguments: [now, agentID])
                    try ConversationWorkflow.logChange(
                        .conversationAssigned, conversationID: id, actor: actor, detail: ["reason": "assigned"], now: now, in: db)
                } else if state.assignee != nil {
                    try ConversationWorkflow.move(state, to: .queued, actor: actor, reason: "unassigned", now: now, in: db)
                }
                state = try ConversationWorkflow.state(id, in: db) ?? state
            }
            if let status = changes.status, status != state.status {
                if let refusal = state.status.refusal(to: status, assignee: state.assignee, snoozedUntil: changes.snoozedUntil) {
                    return .failure(.transition(refusal))
                }
                if status == .snoozed, let until = changes.snoozedUntil {
                    try db.execute(sql: "UPDATE conversation SET snoozed_until = ? WHERE id = ?", arguments: [until, id])
                }
                try ConversationWorkflow.move(state, to: status, actor: actor, reason: "set by \(actor)", now: now, in: db)
            } else if let until = changes.snoozedUntil {
                guard state.status == .snoozed || changes.status == .snoozed else {
                    return .failure(.transition("snoozed_until applies to a snoozed conversation: send status snoozed with it"))
                }
                try db.execute(sql: "UPDATE conversation SET snoozed_until = ? WHERE id = ?", arguments: [until, id])
            }
            if changes.priority != nil || changes.labels != nil {
                if let priority = changes.priority {
                    try db.execute(sql: "UPDATE conversation SET priority = ? WHERE id = ?", arguments: [priority.rawValue, id])
                }
                if let labels = changes.labels {
                    let clean = Array(Set(labels.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
                    try db.execute(sql: "UPDATE conversation SET labels = ? WHERE id = ?", arguments: [JSONList.encode(clean), id])
                }
                try db.execute(sql: "UPDATE conversation SET updated_at = ? WHERE id = ?", arguments: [now, id])
                try ConversationWorkflow.logChange(
                    .conversationUpdated, conversationID: id, actor: actor, detail: ["reason": "priority or labels"], now: now, in: db)
            }
            return try WorkQueries.item(id, now: now, in: db).map { .success($0) }
        }
    }

    /// Adds a private note: on the conversation, on the customer's timeline as a note, and in the log.
    package func addNote(_ id: ConversationID, text: String, author: String, agentID: Int64?, now: Date) async throws -> NoteView? {
        try await database.writer.write { db in
            guard let state = try ConversationWorkflow.state(id, in: db) else { return nil }
            try db.execute(
                sql: "INSERT INTO conversation_note (conversation_id, author, agent_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, author, agentID, text, now])
            if let agentID { try DraftStore.remove(conversation: id, agent: agentID, in: db) }
            let note = NoteView(id: db.lastInsertedRowID, conversation: id, author: author, text: text, createdAt: now)
            try InboundApplier.addTimelineEvent(
                customerID: state.customerID, channelID: state.channelID, kind: "note", at: now, conversationID: id,
                summary: "\(author): \(text)", in: db)
            try ConversationWorkflow.logChange(
                .conversationNote, conversationID: id, actor: author, detail: ["note": text], now: now, in: db)
            return note
        }
    }

    package func notes(_ id: ConversationID) async throws -> [NoteView] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, author, text, created_at FROM conversation_note WHERE conversation_id = ? ORDER BY id", arguments: [id]
            ).map { NoteView(id: $0[0], conversation: id, author: $0[1], text: $0[2], createdAt: $0[3]) }
        }
    }

    /// Hands a conversation to another team: it waits in line for that team's agents.
    package func transfer(_ id: ConversationID, toTeam team: String, actor: String, now: Date) async throws -> Result<
        WorkItemView, WorkRefusal
    >? {
        let teams = teams
        return try await database.writer.write { db in
            guard let state = try ConversationWorkflow.state(id, in: db) else { return nil }
            guard teams.contains(team) else { return .failure(.unknownTeam) }
            if state.status == .closed { return .failure(.transition("a closed conversation cannot be transferred")) }
            try db.execute(
                sql: "UPDATE conversation SET team = ?, queue_id = NULL, declined_by = '[]' WHERE id = ?", arguments: [team, id])
            try ConversationWorkflow.move(state, to: .queued, actor: actor, reason: "transferred to team \(team)", now: now, in: db)
            return try WorkQueries.item(id, now: now, in: db).map { .success($0) }
        }
    }

    /// The values a canned response may use for a conversation.
    package func templateValues(_ id: ConversationID, agentName: String?) async throws -> [String: String]? {
        try await database.writer.read { db in
            guard let state = try ConversationWorkflow.state(id, in: db) else { return nil }
            let root = try IdentityGraph.root(of: state.customerID, in: db) ?? state.customerID
            let name = try String.fetchOne(db, sql: "SELECT display_name FROM customer WHERE id = ?", arguments: [root])
            let order = try String.fetchOne(
                db,
                sql: """
                    SELECT o.name FROM shop_order o JOIN customer cu ON cu.id = o.customer_id
                    WHERE cu.root_id = ? ORDER BY o.created_at DESC LIMIT 1
                    """, arguments: [root])
            var values = ["conversation.id": String(id), "channel": state.channelID]
            values["customer.name"] = name
            values["order.number"] = order
            values["agent.name"] = agentName
            return values
        }
    }

    // MARK: Canned responses

    package func cannedResponses() async throws -> [CannedResponse] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, shortcut, text FROM canned_response ORDER BY shortcut").map {
                CannedResponse(id: $0[0], shortcut: $0[1], text: $0[2])
            }
        }
    }

    package func cannedResponse(id: Int64) async throws -> CannedResponse? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT id, shortcut, text FROM canned_response WHERE id = ?", arguments: [id]).map {
                CannedResponse(id: $0[0], shortcut: $0[1], text: $0[2])
            }
        }
    }

    /// Adds a canned response; `409 duplicate_shortcut` when the shortcut is taken.
    package func addCannedResponse(shortcut: String, text: String, now: Date) async throws -> CannedResponse {
        try await database.writer.write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM canned_response WHERE shortcut = ?", arguments: [shortcut]) != nil {
                throw HubError.conflict("duplicate_shortcut", "a canned response with that shortcut exists")
            }
            try db.execute(
                sql: "INSERT INTO canned_response (shortcut, text, created_at) VALUES (?, ?, ?)", arguments: [shortcut, text, now])
            return CannedResponse(id: db.lastInsertedRowID, shortcut: shortcut, text: text)
        }
    }
}
