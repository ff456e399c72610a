import Foundation
import GRDB
import HubCore

/// Reads tickets as the API shows them (``TicketView``).
enum TicketQueries {
    static let columns = """
        t.id, t.subject, t.type, t.status, t.priority, t.customer_id, t.assignee_id, t.team, t.tags, t.fields, t.channel_id,
        t.created_by, t.created_at, t.updated_at, t.solved_at, t.closed_at, t.merged_into, t.follow_up_at, t.follow_up_note,
        t.follow_up_by, t.follow_up_fired_at, t.survey_state, t.survey_sent_at, t.csat_score, t.csat_comment, t.csat_at,
        a.name AS assignee_name
        """

    static func row(_ id: Int64, in db: Database) throws -> Row? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(columns) FROM ticket t LEFT JOIN agent a ON a.id = t.assignee_id WHERE t.id = ?"),
            arguments: [id])
    }

    static func view(_ id: Int64, sla: TicketView.SLA? = nil, in db: Database) throws -> TicketView? {
        guard let row = try row(id, in: db) else { return nil }
        return try view(row, sla: sla, in: db)
    }

    /// A row of ``columns`` with its conversations, orders and the customer's current root.
    static func view(_ row: Row, sla: TicketView.SLA?, in db: Database) throws -> TicketView {
        let id: Int64 = row["id"]
        let customerID: Int64 = row["customer_id"]
        let root = try IdentityGraph.root(of: customerID, in: db) ?? customerID
        let customerName = try String.fetchOne(
            db.cachedStatement(sql: "SELECT display_name FROM customer WHERE id = ?"), arguments: [root])
        let conversations = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT conversation_id FROM ticket_conversation WHERE ticket_id = ? ORDER BY conversation_id"),
            arguments: [id])
        let orders = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT o.channel_id, o.order_id, o.name, o.financial_status, o.fulfillment_status, o.cancelled_at
                    FROM ticket_order l JOIN shop_order o ON o.id = l.order_row_id WHERE l.ticket_id = ? ORDER BY l.linked_at, o.id
                    """), arguments: [id]
        ).map { order -> TicketView.OrderLink in
            let cancelled = (order["cancelled_at"] as DatabaseValue?).map { !$0.isNull } ?? false
            let status = cancelled ? "cancelled" : (order["fulfillment_status"] as String? ?? order["financial_status"] as String? ?? "")
            return TicketView.OrderLink(channel: order["channel_id"], orderID: order["order_id"], name: order["name"], status: status)
        }
        let fields = Self.fields(row["fields"])
        let tags = JSONList.decode(row["tags"])
        let followUp = (row["follow_up_at"] as Date?).map {
            TicketView.FollowUp(at: $0, note: row["follow_up_note"], by: row["follow_up_by"], firedAt: row["follow_up_fired_at"])
        }
        let survey = (row["survey_state"] as String?).map {
            TicketView.Survey(
                state: $0, sentAt: row["survey_sent_at"], score: row["csat_score"], comment: row["csat_comment"], answeredAt: row["csat_at"]
            )
        }
        let merged: Int64? = row["merged_into"]
        return TicketView(
            id: id, subject: row["subject"], type: (row["type"] as String?).flatMap(TicketType.init(rawValue:)),
            status: TicketStatus(rawValue: row["status"]) ?? .open, priority: ConversationPriority(rawValue: row["priority"]) ?? .normal,
            customer: root, customerName: customerName, assignee: row["assignee_id"], assigneeName: row["assignee_name"], team: row["team"],
            tags: tags, fields: fields, channel: row["channel_id"], conversations: conversations, orders: orders,
            createdBy: row["created_by"], createdAt: row["created_at"], updatedAt: row["updated_at"], solvedAt: row["solved_at"],
            closedAt: row["closed_at"], mergedInto: merged.map(TicketNumber.text), followUp: followUp, sla: sla, survey: survey)
    }

    /// A ticket's custom fields, kept as a JSON object.
    static func fields(_ text: String?) -> [String: TicketFieldValue] {
        (try? JSONDecoder().decode([String: TicketFieldValue].self, from: Data((text ?? "{}").utf8))) ?? [:]
    }

    /// The ticket's clock facts, oldest first.
    static func facts(_ id: Int64, in db: Database) throws -> [SLAFact] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT at, kind, status FROM ticket_fact WHERE ticket_id = ? ORDER BY id"), arguments: [id]
        ).compactMap { row in
            guard let kind = SLAFact.Kind(rawValue: row["kind"]) else { return nil }
            return SLAFact(at: row["at"], kind: kind, status: (row["status"] as String?).flatMap(TicketStatus.init(rawValue:)))
        }
    }

    /// The labels SLA policies match: the ticket's tags and its conversations' labels.
    static func labels(_ id: Int64, tags: String, in db: Database) throws -> Set<String> {
        var labels = Set(JSONList.decode(tags))
        let more = try String.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT DISTINCT j.value FROM ticket_conversation tc JOIN conversation c ON c.id = tc.conversation_id,
                        json_each(c.labels) j WHERE tc.ticket_id = ?
                    """), arguments: [id])
        labels.formUnion(more)
        return labels
    }

    /// The active ticket a conversation belongs to (the newest when several), following merges.
    static func activeTicket(conversationID: ConversationID, in db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT t.id FROM ticket_conversation tc JOIN ticket t ON t.id = tc.ticket_id
                    WHERE tc.conversation_id = ? AND t.status <> 'closed' AND t.merged_into IS NULL
                    ORDER BY t.id DESC LIMIT 1
                    """), arguments: [conversationID])
    }

    /// The ticket `id` ends up in after merges.
    static func surviving(_ id: Int64, in db: Database) throws -> Int64? {
        var current = id
        for _ in 0..<16 {
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT merged_into FROM ticket WHERE id = ?"), arguments: [current])
            else { return nil }
            guard let next = row[0] as Int64? else { return current }
            current = next
        }
        return current
    }
}
