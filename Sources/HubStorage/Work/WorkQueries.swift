import Foundation
import GRDB
import HubCore

/// Reads conversations as work items (``WorkItemView``) and as routing sees them.
enum WorkQueries {
    static let columns = """
        c.id, c.customer_id, c.channel_id, c.status, c.priority, c.labels, c.assignee_id, c.team, c.queue_id, c.language,
        c.subject, c.last_message_at, c.waiting_since, c.snoozed_until, c.created_at, c.intent, c.sentiment, c.type, c.type_set_by,
        a.name AS assignee_name
        """

    static func item(_ id: ConversationID, now: Date, in db: Database) throws -> WorkItemView? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(columns) FROM conversation c LEFT JOIN agent a ON a.id = c.assignee_id WHERE c.id = ?", arguments: [id])
        else { return nil }
        return try view(row, now: now, in: db)
    }

    /// A row of ``columns`` as the API shows it, with its customer's current root, the last
    /// message and the unread count.
    static func view(_ row: Row, now: Date, in db: Database) throws -> WorkItemView {
        let id: Int64 = row["id"]
        let customerID: Int64 = row["customer_id"]
        let root = try IdentityGraph.root(of: customerID, in: db) ?? customerID
        let customerName = try String.fetchOne(
            db.cachedStatement(sql: "SELECT display_name FROM customer WHERE id = ?"), arguments: [root])
        let last = try MessageRecord.all().filter(MessageRecord.Columns.conversationId == id).order(MessageRecord.Columns.id.desc)
            .fetchOne(db)
        let unread =
            try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COUNT(*) FROM message WHERE conversation_id = ?1 AND direction = 'in'
                          AND id > COALESCE((SELECT MAX(id) FROM message WHERE conversation_id = ?1 AND direction = 'out' AND author_role <> 'system'), 0)
                        """), arguments: [id]) ?? 0
        let waitingSince: Date? = row["waiting_since"]
        let waited = waitingSince.map { max(0, Int(now.timeIntervalSince($0))) } ?? 0
        var view = WorkItemView(
            id: id, customer: root, customerName: customerName, channel: row["channel_id"],
            status: ConversationStatus(rawValue: row["status"]) ?? .queued,
            priority: ConversationPriority(rawValue: row["priority"]) ?? .normal, labels: JSONList.decode(row["labels"]),
            assignee: row["assignee_id"], assigneeName: row["assignee_name"], team: row["team"], queue: row["queue_id"],
            language: row["language"], subject: row["subject"], lastMessage: try last.map { String(try $0.view().text.prefix(280)) },
            lastMessageAt: row["last_message_at"], unread: unread, waitingSeconds: waited, snoozedUntil: row["snoozed_until"],
            createdAt: row["created_at"])
        view.intent = row["intent"]
        view.sentiment = row["sentiment"]
        view.type = row["type"]
        view.typeSetBy = row["type_set_by"]
        return view
    }

    /// Every queued conversation as routing sees it.
    /// Queued conversations. With `analysedBefore`, one whose customer message assist has not
    /// read yet is left out (its intent may decide its queue) unless it was queued before that
    /// time: routing waits for assist briefly, never for ever.
    static func waiting(kinds: [ChannelID: WorkKind], analysedBefore: Date? = nil, in db: Database) throws -> [WorkItem] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, channel_id, language, labels, intent, priority, queue_id, team, queued_at, declined_by, created_at
                FROM conversation WHERE status = 'queued' AND (?1 IS NULL OR analysis_pending = 0 OR queued_at < ?1)
                """, arguments: [analysedBefore]
        ).map { row in
            let channelID: String = row["channel_id"]
            let queuedAt: Date? = row["queued_at"]
            return WorkItem(
                conversationID: row["id"], channelID: channelID, kind: kinds[channelID] ?? .async, language: row["language"],
                labels: JSONList.decode(row["labels"]), intent: row["intent"],
                priority: ConversationPriority(rawValue: row["priority"]) ?? .normal, queueID: row["queue_id"], team: row["team"],
                queuedAt: queuedAt ?? row["created_at"],
                declinedBy: Set(JSONList.decode(row["declined_by"]).compactMap { Int64($0) }))
        }
    }

    /// Every active agent with the work they hold now, counted per kind.
    static func agents(kinds: [ChannelID: WorkKind], in db: Database) throws -> [RoutableAgent] {
        var load: [Int64: [WorkKind: Int]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT assignee_id, channel_id, COUNT(*) FROM conversation
                WHERE assignee_id IS NOT NULL AND status IN ('open', 'pending') GROUP BY assignee_id, channel_id
                """)
        {
            let channelID: String = row[1]
            load[row[0], default: [:]][kinds[channelID] ?? .async, default: 0] += row[2] as Int
        }
        return try AgentRecord.filter(Column("active") == true).fetchAll(db).map { record in
            let view = record.view
            return RoutableAgent(
                id: view.id, presence: record.presence, active: record.active, teams: view.teams, skills: view.skills,
                capacity: view.capacity, load: load[view.id] ?? [:], lastAssignedAt: record.lastAssignedAt)
        }
    }
}
