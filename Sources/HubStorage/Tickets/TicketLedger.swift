package import Foundation
import GRDB
package import HubCore

/// One change of a ticket, as history and events show it.
struct TicketChange {
    var field: String
    var old: String?
    var new: String?
}

/// What a new ticket starts with.
package struct NewTicket: Sendable {
    package var subject: String
    package var customerID: CustomerID
    package var priority: ConversationPriority = .normal
    package var type: TicketType?
    package var team: String?
    package var assignee: Int64?
    package var tags: [String] = []
    package var fields: [String: TicketFieldValue] = [:]
    package var channelID: ChannelID?
    package var conversationID: ConversationID?

    package init(subject: String, customerID: CustomerID) {
        self.subject = subject
        self.customerID = customerID
    }
}

/// Ticket changes inside the caller's transaction: every one recorded as history, as clock
/// facts where it moves the SLA, and as an event.
enum TicketLedger {
    /// Opens a ticket at `at` (when its work began: the customer's message, or now).
    static func create(_ new: NewTicket, typeSetBy: String?, actor: String, at: Date, now: Date, in db: Database) throws -> Int64 {
        let fields = String(decoding: try APIJSON.encoder.encode(new.fields), as: UTF8.self)
        let tags = String(decoding: try APIJSON.encoder.encode(new.tags), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO ticket (subject, type, type_set_by, status, priority, customer_id, assignee_id, team, tags, fields, channel_id,
                    created_by, created_at, updated_at)
                VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                new.subject, new.type?.rawValue, new.type == nil ? nil : typeSetBy, new.priority.rawValue, new.customerID, new.assignee,
                new.team, tags, fields, new.channelID, actor, at, now,
            ])
        let id = db.lastInsertedRowID
        try fact(id, .created, at: at, in: db)
        try history(id, actor: actor, [TicketChange(field: "created", old: nil, new: TicketNumber.text(id))], now: now, in: db)
        if let conversation = new.conversationID { try link(id, conversationID: conversation, actor: actor, now: now, in: db) }
        try event(.ticketCreated, id, actor: actor, changes: [], now: now, in: db)
        return id
    }

    static func fact(_ id: Int64, _ kind: SLAFact.Kind, status: TicketStatus? = nil, at: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO ticket_fact (ticket_id, at, kind, status) VALUES (?, ?, ?, ?)")
            .execute(arguments: [id, at, kind.rawValue, status?.rawValue])
        try db.cachedStatement(sql: "UPDATE ticket SET sla_dirty = 1 WHERE id = ?").execute(arguments: [id])
    }

    static func history(_ id: Int64, actor: String, _ changes: [TicketChange], now: Date, in db: Database) throws {
        let insert = try db.cachedStatement(
            sql: "INSERT INTO ticket_history (ticket_id, actor, field, old_value, new_value, at) VALUES (?, ?, ?, ?, ?, ?)")
        for change in changes { try insert.execute(arguments: [id, actor, change.field, change.old, change.new, now]) }
    }

    /// Logs `type` with the ticket as it now is, the actor and the changes.
    static func event(
        _ type: HubEventType, _ id: Int64, actor: String, changes: [TicketChange], extra: [String: String] = [:], now: Date,
        in db: Database
    ) throws {
        guard let view = try TicketQueries.view(id, in: db) else { return }
        var data = JSONText()
        data.string("actor", actor)
        if !changes.isEmpty {
            let list = changes.map { change -> String in
                var item = JSONText()
                item.string("field", change.field)
                item.string("new", change.new)
                item.string("old", change.old)
                return item.object
            }
            data.raw("changes", "[" + list.joined(separator: ",") + "]")
        }
        for key in extra.keys.sorted() { data.string(key, extra[key]) }
        data.raw("ticket", String(decoding: try APIJSON.encoder.encode(view), as: UTF8.self))
        try EventLog.append(type, json: data.object, at: now, in: db)
    }

    /// Links a conversation; returns whether it was new.
    @discardableResult
    static func link(_ id: Int64, conversationID: ConversationID, actor: String, now: Date, in db: Database) throws -> Bool {
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO ticket_conversation (ticket_id, conversation_id, linked_by, linked_at) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [id, conversationID, actor, now])
        guard db.changesCount > 0 else { return false }
        try history(id, actor: actor, [TicketChange(field: "conversation", old: nil, new: String(conversationID))], now: now, in: db)
        // Conversation labels count for SLA matching.
        try db.cachedStatement(sql: "UPDATE ticket SET sla_dirty = 1, updated_at = ? WHERE id = ?").execute(arguments: [now, id])
        return true
    }

    /// Moves the ticket to `status` with its clock fact at `at`; returns the change, or nil when none.
    static func setStatus(_ id: Int64, to status: TicketStatus, actor: String, at: Date, now: Date, in db: Database) throws -> TicketChange?
    {
        guard let current = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM ticket WHERE id = ?"), arguments: [id]),
            current != status.rawValue
        else { return nil }
        switch status {
        case .solved:
            try db.execute(
                sql: "UPDATE ticket SET status = 'solved', solved_at = ?, updated_at = ? WHERE id = ?", arguments: [at, now, id])
        case .closed:
            try db.execute(
                sql: "UPDATE ticket SET status = 'closed', closed_at = ?, follow_up_at = NULL, updated_at = ? WHERE id = ?",
                arguments: [at, now, id])
        default:
            try db.execute(
                sql: "UPDATE ticket SET status = ?, solved_at = NULL, updated_at = ? WHERE id = ?", arguments: [status.rawValue, now, id])
        }
        try fact(id, .status, status: status, at: at, in: db)
        let change = TicketChange(field: "status", old: current, new: status.rawValue)
        try history(id, actor: actor, [change], now: now, in: db)
        return change
    }

    /// Notifies `agents` (deduplicated) and logs `notification.created` for each.
    static func notify(_ agents: [Int64], kind: String, ticketID: Int64, text: String, now: Date, in db: Database) throws {
        var seen = Set<Int64>()
        for agent in agents where seen.insert(agent).inserted {
            try db.execute(
                sql: "INSERT INTO notification (agent_id, kind, ticket_id, text, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [agent, kind, ticketID, text, now])
            var data = JSONText()
            data.integer("agent", agent)
            data.integer("id", db.lastInsertedRowID)
            data.string("kind", kind)
            data.string("text", text)
            data.string("ticket", TicketNumber.text(ticketID))
            try EventLog.append(.notificationCreated, json: data.object, at: now, in: db)
        }
    }

    /// The ticket's assignee, and the active supervisors of its team (all supervisors when it has none).
    static func watchers(of id: Int64, supervisors: Bool, in db: Database) throws -> [Int64] {
        guard let row = try Row.fetchOne(db, sql: "SELECT assignee_id, team FROM ticket WHERE id = ?", arguments: [id]) else { return [] }
        var agents: [Int64] = []
        if let assignee = row[0] as Int64? { agents.append(assignee) }
        guard supervisors else { return agents }
        let team: String? = row[1]
        let rows = try Row.fetchAll(db, sql: "SELECT id, teams FROM agent WHERE role = 'supervisor' AND active = 1 ORDER BY id")
        for supervisor in rows {
            let teams = JSONList.decode(supervisor[1])
            if team == nil || teams.contains(team!) { agents.append(supervisor[0]) }
        }
        return agents
    }
}
