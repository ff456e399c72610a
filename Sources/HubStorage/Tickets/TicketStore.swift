package import Foundation
import GRDB
package import HubCore

/// Why a ticket request was refused.
package enum TicketRefusal: Error, Sendable, Hashable {
    /// A value the API does not take (`400`).
    case invalid(String)
    /// A move the workflow does not allow (`409`).
    case transition(String)
    /// Something the request names does not exist (`404`): what (`conversation`, `customer`, `agent`, `team`), and why.
    case unknown(String, String)
}

/// A change to a ticket; `nil` leaves a field alone.
package struct TicketChanges: Sendable {
    package var subject: String?
    package var status: TicketStatus?
    package var priority: ConversationPriority?
    /// `.some(nil)` gives the type back to assist.
    package var type: TicketType??
    /// `.some(nil)` unassigns.
    package var assignee: Int64??
    /// `.some(nil)` clears the team.
    package var team: String??
    package var tags: [String]?
    /// Custom fields to set; a `nil` value removes one.
    package var fields: [String: TicketFieldValue?]?
    /// `.some(nil)` clears the follow-up.
    package var followUp: (at: Date, note: String?)??
    package var addConversations: [ConversationID] = []
    /// Orders of the requester, by number (`#1042`) or shop id.
    package var addOrders: [String] = []

    package init() {}
}

/// Which tickets a list shows.
package struct TicketFilter: Sendable {
    package enum SLAFilter: String, Sendable, CaseIterable {
        case breached
        case dueSoon = "due_soon"
    }

    package var status: TicketStatus?
    /// An agent id, or `0` for unassigned ones.
    package var assignee: Int64?
    package var team: String?
    package var type: TicketType?
    package var sla: SLAFilter?
    package var customer: CustomerID?
    package var query: String?
    /// Rows older (by last change) than this cursor: `updated_at|id`.
    package var before: (Date, Int64)?
    package var limit = 50

    package init() {}
}

/// One entry of a ticket's history.
package struct TicketHistoryEntry: Sendable, Hashable, Codable {
    package var actor: String
    package var field: String
    package var old: String?
    package var new: String?
    package var at: Date
}

/// A notification for an agent.
package struct NotificationView: Sendable, Hashable, Codable {
    package var id: Int64
    package var kind: String
    package var ticket: String?
    package var text: String
    package var createdAt: Date
    package var readAt: Date?

    private enum CodingKeys: String, CodingKey {
        case id, kind, ticket, text
        case createdAt = "created_at"
        case readAt = "read_at"
    }
}

/// Tickets for agents and for the SLA service: create, read, list, change, merge; the ticket
/// side of the event log; the SLA clocks, follow-ups and auto-closing.
package struct TicketStore: Sendable {
    let database: HubDatabase
    package let setup: SLASetup
    let teams: Set<String>
    let capabilities: @Sendable (ChannelID) -> ChannelCapabilities?

    package init(
        database: HubDatabase, setup: SLASetup, teams: Set<String>,
        capabilities: @escaping @Sendable (ChannelID) -> ChannelCapabilities? = { _ in nil }
    ) {
        self.database = database
        self.setup = setup
        self.teams = teams
        self.capabilities = capabilities
    }

    package var bell: EventBell { database.events }

    // MARK: Reading

    /// The customer a conversation belongs to.
    package func customer(ofConversation id: ConversationID) async throws -> CustomerID? {
        try await database.writer.read { db in
            try CustomerID.fetchOne(db, sql: "SELECT customer_id FROM conversation WHERE id = ?", arguments: [id])
        }
    }

    /// The ticket with its SLA computed at `now` from its facts.
    package func ticket(_ id: Int64, now: Date) async throws -> TicketView? {
        let setup = setup
        return try await database.writer.read { db in
            let sla = try SLALedger.report(id, setup: setup, now: now, in: db).map { TicketView.SLA($0.1) }
            return try TicketQueries.view(id, sla: sla, in: db)
        }
    }

    package func history(_ id: Int64) async throws -> [TicketHistoryEntry]? {
        try await database.writer.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM ticket WHERE id = ?)", arguments: [id]) == true else {
                return nil
            }
            return try Row.fetchAll(
                db, sql: "SELECT actor, field, old_value, new_value, at FROM ticket_history WHERE ticket_id = ? ORDER BY id",
                arguments: [id]
            ).map { TicketHistoryEntry(actor: $0[0], field: $0[1], old: $0[2], new: $0[3], at: $0[4]) }
        }
    }

    /// A page of tickets, the most recently changed first, with the cursor of the next. The SLA
    /// of each is its stored summary's policy; `GET /tickets/{id}` computes the clocks exactly.
    package func list(_ filter: TicketFilter, viewer: Viewer, now: Date) async throws -> (items: [TicketView], next: String?) {
        let setup = setup
        return try await database.writer.read { db in
            var clauses: [String] = []
            var arguments: [any DatabaseValueConvertible & Sendable] = []
            if !viewer.seesAll {
                let marks = viewer.teams.map { _ in "?" }.joined(separator: ", ")
                // `+` keeps SQLite from answering the OR through the team and assignee indexes (and then
                // sorting a whole team's tickets): the list walks the activity index and stops at a page.
                clauses.append("(+t.assignee_id = ? OR +t.team IS NULL" + (viewer.teams.isEmpty ? ")" : " OR +t.team IN (\(marks)))"))
                arguments.append(viewer.agentID ?? -1)
                arguments += viewer.teams
            }
            if let status = filter.status {
                clauses.append("t.status = ?")
                arguments.append(status.rawValue)
            } else {
                clauses.append("t.merged_into IS NULL")
            }
            if let assignee = filter.assignee {
                if assignee == 0 {
                    clauses.append("t.assignee_id IS NULL")
                } else {
                    clauses.append("t.assignee_id = ?")
                    arguments.append(assignee)
                }
            }
            if let team = filter.team {
                clauses.append("t.team = ?")
                arguments.append(team)
            }
            if let type = filter.type {
                clauses.append("t.type = ?")
                arguments.append(type.rawValue)
            }
            if let customer = filter.customer {
                clauses.append("t.customer_id IN (SELECT id FROM customer WHERE root_id = (SELECT root_id FROM customer WHERE id = ?))")
                arguments.append(customer)
            }
            switch filter.sla {
            case .breached:
                clauses.append("t.sla_breached = 1")
            case .dueSoon:
                clauses.append("t.sla_breached = 0 AND t.sla_next_warn_at <= ? AND t.sla_next_due_at >= ? AND t.status IN ('new', 'open')")
                arguments += [now, now]
            case nil: break
            }
            if let query = filter.query?.trimmingCharacters(in: .whitespaces), !query.isEmpty {
                let pattern = SearchText.likePattern(query)
                if query.uppercased().hasPrefix("T-"), let id = TicketNumber.id(query) {
                    clauses.append("t.id = ?")
                    arguments.append(id)
                } else if let id = TicketNumber.id(query) {
                    clauses.append("(t.id = ? OR t.subject LIKE ? ESCAPE '\\')")
                    arguments += [id, pattern]
                } else {
                    clauses.append("t.subject LIKE ? ESCAPE '\\'")
                    arguments.append(pattern)
                }
            }
            // Due soon lists the most urgent first (by due time, through its own index); every other
            // list, the most recently changed first.
            let byDue = filter.sla == .dueSoon
            if let (time, id) = filter.before {
                clauses.append(
                    byDue
                        ? "(t.sla_next_due_at > ? OR (t.sla_next_due_at = ? AND t.id > ?))"
                        : "(t.updated_at < ? OR (t.updated_at = ? AND t.id < ?))")
                arguments += [time, time, id]
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(TicketQueries.columns), t.sla_next_due_at, t.sla_dirty FROM ticket t \(byDue ? "INDEXED BY ticket_due_soon" : "")
                    LEFT JOIN agent a ON a.id = t.assignee_id
                    WHERE \(clauses.isEmpty ? "1" : clauses.joined(separator: " AND "))
                    ORDER BY \(byDue ? "t.sla_next_due_at ASC, t.id ASC" : "t.updated_at DESC, t.id DESC") LIMIT ?
                    """, arguments: StatementArguments(arguments + [filter.limit + 1]))
            // Lists show each clock as last derived, counted to now; the ticket itself replays its facts.
            let page = Array(rows.prefix(filter.limit))
            let clocks = try SLALedger.stored(page.map { $0["id"] }, setup: setup, now: now, in: db)
            let items = try page.map { row -> TicketView in
                // A ticket changed since the last pass has no stored clock yet: its facts are replayed.
                let sla =
                    row["sla_dirty"] as Bool
                    ? try SLALedger.report(row["id"], setup: setup, now: now, in: db).map { TicketView.SLA($0.1) } : clocks[row["id"]]
                return try TicketQueries.view(row, sla: sla, in: db)
            }
            var next: String?
            if rows.count > filter.limit, let last = page.last {
                let key: Date = byDue ? last["sla_next_due_at"] : last["updated_at"]
                next = "\(JSONText.timestamp(key, truncating: false))|\(last["id"] as Int64)"
            }
            return (items, next)
        }
    }

    // MARK: Writing

    /// Opens a ticket for an agent (`actor`); the customer comes from the conversation when not given.
    package func create(_ new: NewTicket, conversationID: ConversationID?, orders: [String], actor: String, now: Date) async throws
        -> Result<TicketView, TicketRefusal>
    {
        let teams = teams
        let setup = setup
        return try await refusing {
            try await database.writer.write { db in
                var ticket = new
                if let conversationID {
                    guard
                        let row = try Row.fetchOne(
                            db, sql: "SELECT customer_id, subject, channel_id, priority, type FROM conversation WHERE id = ?",
                            arguments: [conversationID])
                    else { throw Refused(.unknown("conversation", "unknown conversation \(conversationID)")) }
                    let conversationRoot = try IdentityGraph.root(of: row["customer_id"], in: db)
                    guard try IdentityGraph.root(of: ticket.customerID, in: db) == conversationRoot else {
                        throw Refused(.invalid("conversation \(conversationID) belongs to another customer"))
                    }
                    if let open = try TicketQueries.activeTicket(conversationID: conversationID, in: db) {
                        throw Refused(.transition("conversation \(conversationID) already belongs to \(TicketNumber.text(open))"))
                    }
                    ticket.conversationID = conversationID
                    ticket.channelID = ticket.channelID ?? row["channel_id"]
                    if ticket.subject.isEmpty {
                        ticket.subject = TicketFollowing.subject(row["subject"], fallback: "", channel: row["channel_id"])
                    }
                    if ticket.type == nil { ticket.type = (row["type"] as String?).flatMap(TicketType.init(rawValue:)) }
                }
                guard
                    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE id = ?)", arguments: [ticket.customerID])
                        == true
                else { throw Refused(.unknown("customer", "unknown customer \(ticket.customerID)")) }
                if ticket.subject.trimmingCharacters(in: .whitespaces).isEmpty { throw Refused(.invalid("subject is empty")) }
                if let team = ticket.team, !teams.contains(team) { throw Refused(.unknown("team", "unknown team '\(team)'")) }
                if let assignee = ticket.assignee, try AgentRecord.fetchOne(db, key: assignee)?.active != true {
                    throw Refused(.unknown("agent", "unknown agent \(assignee)"))
                }
                if let problem = Self.fieldProblem(ticket.fields.mapValues { Optional($0) }, settings: setup.settings, creating: true) {
                    throw Refused(.invalid(problem))
                }
                let id = try TicketLedger.create(ticket, typeSetBy: actor, actor: actor, at: now, now: now, in: db)
                if let problem = try Self.linkOrders(orders, to: id, actor: actor, now: now, in: db) { throw Refused(.invalid(problem)) }
                try SLALedger.recompute(id, setup: setup, now: now, in: db)
                let sla = try SLALedger.report(id, setup: setup, now: now, in: db).map { TicketView.SLA($0.1) }
                return .success(try TicketQueries.view(id, sla: sla, in: db)!)
            }
        }
    }

    /// A refusal thrown inside a transaction, so that nothing of the refused change is kept.
    struct Refused: Error {
        var refusal: TicketRefusal
        init(_ refusal: TicketRefusal) { self.refusal = refusal }
    }

    func refusing<T>(_ body: () async throws -> Result<T, TicketRefusal>?) async throws -> Result<T, TicketRefusal>? {
        do { return try await body() } catch let refused as Refused { return .failure(refused.refusal) }
    }

    func refusing<T>(_ body: () async throws -> Result<T, TicketRefusal>) async throws -> Result<T, TicketRefusal> {
        do { return try await body() } catch let refused as Refused { return .failure(refused.refusal) }
    }

    /// Applies `changes` by `actor`; `nil` when there is no such ticket.
    package func update(_ id: Int64, _ changes: TicketChanges, actor: String, now: Date) async throws -> Result<TicketView, TicketRefusal>?
    {
        let teams = teams
        let setup = setup
        let capabilities = capabilities
        return try await refusing {
            try await database.writer.write { db -> Result<TicketView, TicketRefusal>? in
                guard let row = try TicketQueries.row(id, in: db) else { return nil }
                let status = TicketStatus(rawValue: row["status"]) ?? .open
                if (row["merged_into"] as Int64?) != nil {
                    throw Refused(.transition("\(TicketNumber.text(id)) was merged into another ticket; change that one"))
                }
                if status == .closed {
                    throw Refused(.transition("a closed ticket cannot change; the customer's next message starts new work"))
                }
                var log: [TicketChange] = []
                if let subject = changes.subject {
                    let trimmed = subject.trimmingCharacters(in: .whitespaces)
                    guard !trimmed.isEmpty else { throw Refused(.invalid("subject is empty")) }
                    if trimmed != row["subject"] as String {
                        try db.execute(sql: "UPDATE ticket SET subject = ? WHERE id = ?", arguments: [trimmed, id])
                        log.append(TicketChange(field: "subject", old: row["subject"], new: trimmed))
                    }
                }
                if let priority = changes.priority, priority.rawValue != row["priority"] as String {
                    try db.execute(sql: "UPDATE ticket SET priority = ?, sla_dirty = 1 WHERE id = ?", arguments: [priority.rawValue, id])
                    log.append(TicketChange(field: "priority", old: row["priority"], new: priority.rawValue))
                }
                if let type = changes.type {
                    try db.execute(
                        sql: "UPDATE ticket SET type = COALESCE(?, type), type_set_by = ?, sla_dirty = 1 WHERE id = ?",
                        arguments: [type?.rawValue, type == nil ? "assist" : actor, id])
                    if let type, type.rawValue != row["type"] as String? {
                        log.append(TicketChange(field: "type", old: row["type"], new: type.rawValue))
                    }
                }
                if let team = changes.team, team != row["team"] as String? {
                    if let team, !teams.contains(team) { throw Refused(.unknown("team", "unknown team '\(team)'")) }
                    try db.execute(sql: "UPDATE ticket SET team = ? WHERE id = ?", arguments: [team, id])
                    log.append(TicketChange(field: "team", old: row["team"], new: team))
                }
                if let assignee = changes.assignee, assignee != row["assignee_id"] as Int64? {
                    if let assignee, try AgentRecord.fetchOne(db, key: assignee)?.active != true {
                        throw Refused(.unknown("agent", "unknown agent \(assignee)"))
                    }
                    try db.execute(sql: "UPDATE ticket SET assignee_id = ? WHERE id = ?", arguments: [assignee, id])
                    log.append(
                        TicketChange(
                            field: "assignee", old: (row["assignee_id"] as Int64?).map(String.init), new: assignee.map(String.init)))
                }
                if let tags = changes.tags {
                    let cleaned = Array(Set(tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
                    let text = String(decoding: try APIJSON.encoder.encode(cleaned), as: UTF8.self)
                    if text != row["tags"] as String {
                        try db.execute(sql: "UPDATE ticket SET tags = ?, sla_dirty = 1 WHERE id = ?", arguments: [text, id])
                        log.append(TicketChange(field: "tags", old: row["tags"], new: text))
                    }
                }
                var fieldValues = TicketQueries.fields(row["fields"])
                if let fields = changes.fields {
                    if let problem = Self.fieldProblem(fields, settings: setup.settings, creating: false) {
                        throw Refused(.invalid(problem))
                    }
                    for (key, value) in fields { fieldValues[key] = value }
                    let text = String(decoding: try APIJSON.encoder.encode(fieldValues), as: UTF8.self)
                    if text != row["fields"] as String {
                        try db.execute(sql: "UPDATE ticket SET fields = ? WHERE id = ?", arguments: [text, id])
                        log.append(TicketChange(field: "fields", old: row["fields"], new: text))
                    }
                }
                if let followUp = changes.followUp {
                    if let followUp {
                        try db.execute(
                            sql:
                                "UPDATE ticket SET follow_up_at = ?, follow_up_note = ?, follow_up_by = ?, follow_up_fired_at = NULL WHERE id = ?",
                            arguments: [followUp.at, followUp.note, actor, id])
                        log.append(
                            TicketChange(
                                field: "follow_up", old: (row["follow_up_at"] as Date?).map { JSONText.timestamp($0) },
                                new: JSONText.timestamp(followUp.at)))
                    } else {
                        try db.execute(sql: "UPDATE ticket SET follow_up_at = NULL, follow_up_note = NULL WHERE id = ?", arguments: [id])
                        log.append(
                            TicketChange(field: "follow_up", old: (row["follow_up_at"] as Date?).map { JSONText.timestamp($0) }, new: nil))
                    }
                }
                let customer: CustomerID = row["customer_id"]
                let root = try IdentityGraph.root(of: customer, in: db) ?? customer
                for conversation in changes.addConversations {
                    guard
                        let owner = try CustomerID.fetchOne(
                            db, sql: "SELECT customer_id FROM conversation WHERE id = ?", arguments: [conversation])
                    else { throw Refused(.unknown("conversation", "unknown conversation \(conversation)")) }
                    guard try IdentityGraph.root(of: owner, in: db) == root else {
                        throw Refused(.invalid("conversation \(conversation) belongs to another customer"))
                    }
                    if try TicketLedger.link(id, conversationID: conversation, actor: actor, now: now, in: db) {
                        log.append(TicketChange(field: "conversation", old: nil, new: String(conversation)))
                    }
                }
                if !changes.addOrders.isEmpty {
                    if let problem = try Self.linkOrders(changes.addOrders, to: id, actor: actor, now: now, in: db) {
                        throw Refused(.invalid(problem))
                    }
                    log.append(TicketChange(field: "orders", old: nil, new: changes.addOrders.joined(separator: ", ")))
                }
                if let target = changes.status, target != status {
                    if let refusal = status.refusal(to: target) { throw Refused(.transition(refusal)) }
                    if target == .solved, let missing = setup.settings.fields.first(where: { $0.required && fieldValues[$0.id] == nil }) {
                        throw Refused(.transition("field '\(missing.id)' is required before the ticket is solved"))
                    }
                    if let change = try TicketLedger.setStatus(id, to: target, actor: actor, at: now, now: now, in: db) {
                        log.append(change)
                    }
                    if target == .solved, setup.settings.survey {
                        _ = try SurveyLedger.send(ticket: id, capabilities: capabilities, now: now, in: db)
                    }
                }
                if !log.isEmpty {
                    try db.execute(sql: "UPDATE ticket SET updated_at = ? WHERE id = ?", arguments: [now, id])
                    // The status change was written by setStatus already.
                    try TicketLedger.history(
                        id, actor: actor, log.filter { $0.field != "status" && $0.field != "conversation" }, now: now, in: db)
                    try TicketLedger.event(.ticketUpdated, id, actor: actor, changes: log, now: now, in: db)
                }
                try SLALedger.recompute(id, setup: setup, now: now, in: db)
                let sla = try SLALedger.report(id, setup: setup, now: now, in: db).map { TicketView.SLA($0.1) }
                return .success(try TicketQueries.view(id, sla: sla, in: db)!)
            }
        }
    }

    /// Merges ticket `id` into `target`: its conversations, orders and tags move over, it closes
    /// pointing at `target`, and both keep their history.
    package func merge(_ id: Int64, into target: Int64, actor: String, now: Date) async throws -> Result<TicketView, TicketRefusal>? {
        let setup = setup
        return try await refusing {
            try await database.writer.write { db -> Result<TicketView, TicketRefusal>? in
                guard let source = try TicketQueries.row(id, in: db), let into = try TicketQueries.row(target, in: db) else { return nil }
                guard id != target else { throw Refused(.invalid("a ticket cannot be merged into itself")) }
                if (source["merged_into"] as Int64?) != nil || (into["merged_into"] as Int64?) != nil {
                    throw Refused(.transition("one of the tickets was already merged"))
                }
                if into["status"] == TicketStatus.closed.rawValue { throw Refused(.transition("\(TicketNumber.text(target)) is closed")) }
                guard try IdentityGraph.root(of: source["customer_id"], in: db) == IdentityGraph.root(of: into["customer_id"], in: db)
                else {
                    throw Refused(.invalid("the tickets belong to different customers"))
                }
                for conversation in try Int64.fetchAll(
                    db, sql: "SELECT conversation_id FROM ticket_conversation WHERE ticket_id = ?", arguments: [id])
                {
                    try TicketLedger.link(target, conversationID: conversation, actor: actor, now: now, in: db)
                }
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO ticket_order (ticket_id, order_row_id, linked_by, linked_at)
                        SELECT ?, order_row_id, ?, ? FROM ticket_order WHERE ticket_id = ?
                        """, arguments: [target, actor, now, id])
                let tags = Set(JSONList.decode(source["tags"])).union(JSONList.decode(into["tags"]))
                try db.execute(
                    sql: "UPDATE ticket SET tags = ?, updated_at = ?, sla_dirty = 1 WHERE id = ?",
                    arguments: [String(decoding: try APIJSON.encoder.encode(tags.sorted()), as: UTF8.self), now, target])
                _ = try TicketLedger.setStatus(id, to: .closed, actor: actor, at: now, now: now, in: db)
                try db.execute(sql: "UPDATE ticket SET merged_into = ? WHERE id = ?", arguments: [target, id])
                try TicketLedger.history(
                    id, actor: actor, [TicketChange(field: "merged_into", old: nil, new: TicketNumber.text(target))], now: now, in: db)
                try TicketLedger.history(
                    target, actor: actor, [TicketChange(field: "merged_from", old: nil, new: TicketNumber.text(id))], now: now, in: db)
                try TicketLedger.event(
                    .ticketMerged, target, actor: actor, changes: [], extra: ["merged": TicketNumber.text(id)], now: now, in: db)
                try SLALedger.recompute(id, setup: setup, now: now, in: db)
                try SLALedger.recompute(target, setup: setup, now: now, in: db)
                let sla = try SLALedger.report(target, setup: setup, now: now, in: db).map { TicketView.SLA($0.1) }
                return .success(try TicketQueries.view(target, sla: sla, in: db)!)
            }
        }
    }

    /// Links the requester's orders named by number (`#1042`, `1042`) or shop id; the problem when one is not theirs.
    static func linkOrders(_ orders: [String], to id: Int64, actor: String, now: Date, in db: Database) throws -> String? {
        guard !orders.isEmpty else { return nil }
        let customer = try CustomerID.fetchOne(db, sql: "SELECT customer_id FROM ticket WHERE id = ?", arguments: [id]) ?? 0
        let root = try IdentityGraph.root(of: customer, in: db) ?? customer
        for order in orders {
            let bare = order.hasPrefix("#") ? String(order.dropFirst()) : order
            guard
                let row = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT o.id FROM shop_order o JOIN customer c ON c.id = o.customer_id
                        WHERE c.root_id = ? AND (o.order_id = ? OR o.name = ? OR o.name = ?) ORDER BY o.id DESC LIMIT 1
                        """, arguments: [root, bare, order, "#" + bare])
            else { return "order '\(order)' is not one of this customer's orders" }
            try db.execute(
                sql: "INSERT OR IGNORE INTO ticket_order (ticket_id, order_row_id, linked_by, linked_at) VALUES (?, ?, ?, ?)",
                arguments: [id, row, actor, now])
        }
        return nil
    }

    /// The problem with custom field values, or nil.
    static func fieldProblem(_ values: [String: TicketFieldValue?], settings: TicketSettings, creating: Bool) -> String? {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let field = settings.fields.first(where: { $0.id == key }) else {
                let known = settings.fields.map(\.id).joined(separator: ", ")
                return "unknown field '\(key)'" + (known.isEmpty ? "; the manifest declares none" : "; declared: \(known)")
            }
            if let value, let problem = value.problem(for: field) { return problem }
        }
        return nil
    }

    // MARK: Notifications

    package func notifications(agentID: Int64, unreadOnly: Bool, limit: Int) async throws -> [NotificationView] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind, ticket_id, text, created_at, read_at FROM notification
                    WHERE agent_id = ? \(unreadOnly ? "AND read_at IS NULL" : "") ORDER BY id DESC LIMIT ?
                    """, arguments: [agentID, limit]
            ).map {
                NotificationView(
                    id: $0[0], kind: $0[1], ticket: ($0[2] as Int64?).map(TicketNumber.text), text: $0[3], createdAt: $0[4], readAt: $0[5])
            }
        }
    }

    package func markRead(agentID: Int64, ids: [Int64], now: Date) async throws -> Int {
        try await database.writer.write { db in
            guard !ids.isEmpty else { return 0 }
            let marks = ids.map { _ in "?" }.joined(separator: ", ")
            try db.execute(
                sql: "UPDATE notification SET read_at = ? WHERE agent_id = ? AND read_at IS NULL AND id IN (\(marks))",
                arguments: StatementArguments([now, agentID] as [any DatabaseValueConvertible] + ids))
            return db.changesCount
        }
    }

    // MARK: The ticket service

    /// Applies the next page of the event log to tickets; returns whether there may be more.
    package func follow(limit: Int = 256, now: Date) async throws -> Bool {
        let settings = setup.settings
        return try await database.writer.write { db in try TicketFollowing.step(settings: settings, limit: limit, now: now, in: db) }
    }

    /// One pass of the SLA clocks at `now`: recompute changed tickets, raise due warnings and
    /// breaches, fire follow-ups, close solved tickets. Each part commits on its own, in pages.
    package func pass(now: Date, page: Int = 500, recomputeLimit: Int = 2_000) async throws -> SLAPass {
        let setup = setup
        var pass = SLAPass()
        // What is due first (a due ticket whose facts changed is recomputed on the spot), then a
        // bounded share of the changed clocks, then what those made due: after a start with every
        // clock to recompute, breaches stay on time while the rest catches up over a few ticks.
        func alerts() async throws {
            while true {
                let (warnings, breaches) = try await database.writer.write { db in
                    try SLALedger.alerts(setup: setup, limit: page, now: now, in: db)
                }
                pass.warnings += warnings
                pass.breaches += breaches
                if warnings + breaches < page { break }
            }
        }
        try await alerts()
        while pass.recomputed < recomputeLimit {
            let count = try await database.writer.write { db in try SLALedger.refresh(setup: setup, limit: page, now: now, in: db) }
            pass.recomputed += count
            if count < page { break }
        }
        if pass.recomputed > 0 { try await alerts() }
        pass.followUps = try await database.writer.write { db in try SLALedger.followUps(limit: page, now: now, in: db) }
        pass.closed = try await database.writer.write { db in
            try SLALedger.autoClose(after: setup.settings.closeAfter, limit: page, now: now, in: db)
        }
        return pass
    }

    /// Marks every ticket still at work for recomputation: at start, since the policies or
    /// calendars may have changed while the hub was down.
    package func invalidateClocks() async throws -> Int {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE ticket SET sla_dirty = 1 WHERE status <> 'closed' AND sla_dirty = 0")
            return db.changesCount
        }
    }
}
