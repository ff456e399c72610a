import Foundation
import GRDB
import HubCore

/// What the log says happened that tickets care about: the ticket service follows these with its
/// own cursor, and applies each page in one transaction with the cursor, so every event counts once.
enum TicketFollowing {
    static let consumer = "tickets"
    static let types: [HubEventType] = [.messageReceived, .messageSent, .messageAnalyzed, .botHandoff]

    struct Event {
        var seq: Int64
        var type: HubEventType
        var at: Date
        var conversationID: ConversationID?
        var customerID: CustomerID?
        var channelID: ChannelID?
        var text: String?
        var subject: String?
        var authorRole: String?
        var conversationType: String?
        var intent: String?
        var summary: String?
    }

    /// Applies the next page of events; returns whether there may be more.
    static func step(settings: TicketSettings, limit: Int, now: Date, in db: Database) throws -> Bool {
        let cursor = try Int64.fetchOne(db, sql: "SELECT seq FROM event_cursor WHERE consumer = ?", arguments: [consumer]) ?? 0
        let marks = types.map { _ in "?" }.joined(separator: ", ")
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT seq, type, occurred_at, json_extract(data, '$.conversation'), json_extract(data, '$.customer'),
                        json_extract(data, '$.channel'), json_extract(data, '$.message.text'), json_extract(data, '$.message.subject'),
                        json_extract(data, '$.message.author.role'), json_extract(data, '$.conversation_type'),
                        json_extract(data, '$.analysis.intent'), json_extract(data, '$.summary')
                    FROM event WHERE seq > ? AND type IN (\(marks)) ORDER BY seq LIMIT ?
                    """), arguments: StatementArguments([cursor] + types.map(\.rawValue) + [limit]))
        for row in rows {
            guard let type = HubEventType(rawValue: row[1]) else { continue }
            let event = Event(
                seq: row[0], type: type, at: (row[2] as StoredDate?)?.date ?? now, conversationID: row[3], customerID: row[4],
                channelID: row[5], text: row[6], subject: row[7], authorRole: row[8], conversationType: row[9], intent: row[10],
                summary: row[11])
            try apply(event, settings: settings, now: now, in: db)
        }
        let next = rows.count == limit ? rows.last![0] : max(cursor, try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0)
        if next > cursor { try EventCursor.commit(consumer: consumer, seq: next, now: now, in: db) }
        return rows.count == limit
    }

    static func apply(_ event: Event, settings: TicketSettings, now: Date, in db: Database) throws {
        guard let conversationID = event.conversationID else { return }
        switch event.type {
        case .messageReceived:
            try customerWrote(event, conversationID: conversationID, settings: settings, now: now, in: db)
        case .messageSent:
            guard event.authorRole == Author.Role.agent.rawValue,
                let ticket = try TicketQueries.activeTicket(conversationID: conversationID, in: db)
            else { return }
            try TicketLedger.fact(ticket, .agentReply, at: event.at, in: db)
            var changes: [TicketChange] = []
            if try String.fetchOne(db, sql: "SELECT status FROM ticket WHERE id = ?", arguments: [ticket]) == TicketStatus.new.rawValue,
                let change = try TicketLedger.setStatus(ticket, to: .open, actor: "agent reply", at: event.at, now: now, in: db)
            {
                changes.append(change)
            }
            try db.execute(sql: "UPDATE ticket SET updated_at = ? WHERE id = ?", arguments: [now, ticket])
            if !changes.isEmpty { try TicketLedger.event(.ticketUpdated, ticket, actor: "agent reply", changes: changes, now: now, in: db) }
        case .messageAnalyzed:
            if let ticket = try TicketQueries.activeTicket(conversationID: conversationID, in: db) {
                guard let type = event.conversationType.flatMap(TicketType.init(rawValue:)) else { return }
                let row = try Row.fetchOne(db, sql: "SELECT type, type_set_by FROM ticket WHERE id = ?", arguments: [ticket])
                let current: String? = row?[0]
                let setBy: String? = row?[1]
                guard setBy == nil || setBy == "assist", current != type.rawValue else { return }
                try db.execute(
                    sql: "UPDATE ticket SET type = ?, type_set_by = 'assist', updated_at = ?, sla_dirty = 1 WHERE id = ?",
                    arguments: [type.rawValue, now, ticket])
                let change = TicketChange(field: "type", old: current, new: type.rawValue)
                try TicketLedger.history(ticket, actor: "assist", [change], now: now, in: db)
                try TicketLedger.event(.ticketUpdated, ticket, actor: "assist", changes: [change], now: now, in: db)
            } else {
                let type = event.conversationType.flatMap(TicketType.init(rawValue:))
                try autoCreate(
                    event, conversationID: conversationID, settings: settings, analysed: true, intent: event.intent, type: type, now: now,
                    in: db)
            }
        case .botHandoff:
            guard settings.onBotHandoff, try TicketQueries.activeTicket(conversationID: conversationID, in: db) == nil,
                let conversation = try Row.fetchOne(
                    db, sql: "SELECT customer_id, channel_id, subject, priority, type FROM conversation WHERE id = ?",
                    arguments: [conversationID])
            else { return }
            let summary = event.summary ?? ""
            var new = NewTicket(
                subject: subject(conversation["subject"], fallback: summary, channel: conversation["channel_id"]),
                customerID: conversation["customer_id"])
            new.priority = ConversationPriority(rawValue: conversation["priority"]) ?? .normal
            new.type = (conversation["type"] as String?).flatMap(TicketType.init(rawValue:))
            new.channelID = conversation["channel_id"]
            new.conversationID = conversationID
            _ = try TicketLedger.create(new, typeSetBy: "assist", actor: "bot", at: event.at, now: now, in: db)
        default:
            return
        }
    }

    /// A customer's message: a survey answer, a message joining its ticket (by a quoted number or
    /// the conversation's open ticket, reopening it), or a candidate for a rule's new ticket.
    static func customerWrote(_ event: Event, conversationID: ConversationID, settings: TicketSettings, now: Date, in db: Database) throws {
        let text = event.text ?? ""
        if try SurveyLedger.answer(
            text: text, conversationID: conversationID, at: event.at, window: settings.surveyWindow, now: now, in: db)
        {
            return
        }
        var ticket: Int64?
        var changes: [TicketChange] = []
        let root = try event.customerID.flatMap { try IdentityGraph.root(of: $0, in: db) } ?? event.customerID
        for mentioned in TicketNumber.mentioned(in: text + " " + (event.subject ?? "")) {
            guard let survivor = try TicketQueries.surviving(mentioned, in: db),
                let row = try Row.fetchOne(db, sql: "SELECT customer_id, status FROM ticket WHERE id = ?", arguments: [survivor]),
                row["status"] != TicketStatus.closed.rawValue,
                try IdentityGraph.root(of: row["customer_id"], in: db) == root
            else { continue }
            ticket = survivor
            if try TicketLedger.link(survivor, conversationID: conversationID, actor: "customer", now: now, in: db) {
                changes.append(TicketChange(field: "conversation", old: nil, new: String(conversationID)))
            }
            break
        }
        if ticket == nil { ticket = try TicketQueries.activeTicket(conversationID: conversationID, in: db) }
        guard let ticket else {
            try autoCreate(
                event, conversationID: conversationID, settings: settings, analysed: false, intent: nil, type: nil, now: now, in: db)
            return
        }
        try TicketLedger.fact(ticket, .customerMessage, at: event.at, in: db)
        let status = try String.fetchOne(db, sql: "SELECT status FROM ticket WHERE id = ?", arguments: [ticket])
        if [TicketStatus.pending, .onHold, .solved].map(\.rawValue).contains(status),
            let change = try TicketLedger.setStatus(ticket, to: .open, actor: "customer", at: event.at, now: now, in: db)
        {
            changes.append(change)
        }
        try db.execute(sql: "UPDATE ticket SET updated_at = ? WHERE id = ?", arguments: [now, ticket])
        if !changes.isEmpty { try TicketLedger.event(.ticketUpdated, ticket, actor: "customer", changes: changes, now: now, in: db) }
    }

    /// Opens a ticket when a manifest rule holds: rules on the channel and orders are decided when
    /// the message arrives, rules on intent or type once assist has read it.
    static func autoCreate(
        _ event: Event, conversationID: ConversationID, settings: TicketSettings, analysed: Bool, intent: String?, type: TicketType?,
        now: Date, in db: Database
    ) throws {
        let rules = settings.autoCreate.filter { $0.needsAnalysis == analysed }
        guard !rules.isEmpty,
            let conversation = try Row.fetchOne(
                db, sql: "SELECT customer_id, channel_id, subject, priority, type FROM conversation WHERE id = ?",
                arguments: [conversationID])
        else { return }
        let channel: ChannelID = conversation["channel_id"]
        let customer: CustomerID = conversation["customer_id"]
        var hasOrder: Bool?
        func ordered() throws -> Bool {
            if let hasOrder { return hasOrder }
            let root = try IdentityGraph.root(of: customer, in: db) ?? customer
            let found =
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM shop_order o JOIN customer c ON c.id = o.customer_id WHERE c.root_id = ?)",
                    arguments: [root]) ?? false
            hasOrder = found
            return found
        }
        let conversationType = type ?? (conversation["type"] as String?).flatMap(TicketType.init(rawValue:))
        var holds = false
        for rule in rules {
            let orders = rule.hasOrder == nil ? false : try ordered()
            if rule.holds(channel: channel, intent: intent, type: conversationType, hasOrder: orders) {
                holds = true
                break
            }
        }
        guard holds else { return }
        var new = NewTicket(subject: subject(conversation["subject"], fallback: event.text ?? "", channel: channel), customerID: customer)
        new.priority = ConversationPriority(rawValue: conversation["priority"]) ?? .normal
        new.type = conversationType
        new.channelID = channel
        new.conversationID = conversationID
        let id = try TicketLedger.create(new, typeSetBy: "assist", actor: "rule", at: event.at, now: now, in: db)
        // The message that opened it is the customer's first word on it.
        try TicketLedger.fact(id, .customerMessage, at: event.at, in: db)
    }

    /// A ticket's subject: the conversation's, or the first line of the text, shortened.
    static func subject(_ subject: String?, fallback: String, channel: ChannelID) -> String {
        if let subject, !subject.trimmingCharacters(in: .whitespaces).isEmpty { return subject }
        let line = fallback.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !line.isEmpty else { return "Message on \(channel)" }
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }
}
