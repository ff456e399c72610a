import Foundation
import GRDB
import HubCore

/// Writes metric facts inside the transaction of the change that causes them, so a report never
/// counts a message that was rolled back or misses one that committed. Counts go straight into
/// their hour's bucket; response and resolution times are kept as raw durations, which
/// ``DurationAggregator`` folds into buckets (with business time) a moment later.
///
/// Counting rules (the peers' bugs): a response cycle starts at the first customer message that
/// people must answer — in a human-handled conversation, or the message the bot handed off on,
/// never a bot's message — and a reopen starts a new one; its first response is the first human
/// reply after that start.
enum MetricFacts {
    struct Dimensions {
        var channel: String
        var team: String
        var agent: String
        var intent: String
        var queue: String
    }

    /// What the facts of a reply, a hand-off or a resolution read of their conversation, in one read.
    struct Snapshot {
        var dimensions: Dimensions
        /// When the running response cycle started; `nil` when none runs.
        var cycleStartedAt: Int64?
        var cycleResponded: Bool
        var waitingSince: Date?
    }

    /// The conversation's dimensions (with `agent` as the agent when given) and its response cycle.
    static func snapshot(_ conversationID: ConversationID, agent: Int64? = nil, in db: Database) throws -> Snapshot? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT channel_id, team, assignee_id, intent, queue_id, cycle_started_at_ms, cycle_responded, waiting_since
                        FROM conversation WHERE id = ?
                        """), arguments: [conversationID])
        else { return nil }
        let assignee: Int64? = agent ?? row[2]
        return Snapshot(
            dimensions: Dimensions(
                channel: row[0], team: row[1] ?? "", agent: assignee.map(String.init) ?? "", intent: row[3] ?? "", queue: row[4] ?? ""),
            cycleStartedAt: row[5], cycleResponded: row[6], waitingSince: row[7])
    }

    static func hour(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 3600).rounded(.down))
    }

    static func count(_ measure: String, _ dimensions: Dimensions, at time: Date, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO metric_hour (measure, hour, channel, team, agent, intent, queue, count) VALUES (?, ?, ?, ?, ?, ?, ?, 1)
                ON CONFLICT (measure, hour, channel, team, agent, intent, queue) DO UPDATE SET count = count + 1
                """
        ).execute(arguments: [
            measure, hour(time), dimensions.channel, dimensions.team, dimensions.agent, dimensions.intent, dimensions.queue,
        ])
    }

    /// Counts one in the conversation's own dimensions, read by the insert itself: on the ingest
    /// path this saves a statement per message.
    static func count(_ measure: String, conversation id: ConversationID, at time: Date, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO metric_hour (measure, hour, channel, team, agent, intent, queue, count)
                SELECT ?1, ?2, channel_id, COALESCE(team, ''), COALESCE(CAST(assignee_id AS TEXT), ''), COALESCE(intent, ''),
                    COALESCE(queue_id, ''), 1
                FROM conversation WHERE id = ?3 AND true
                ON CONFLICT (measure, hour, channel, team, agent, intent, queue) DO UPDATE SET count = count + 1
                """
        ).execute(arguments: [measure, hour(time), id])
    }

    static func duration(
        _ measure: String, conversationID: ConversationID, from start: Int64, to end: Date, _ dimensions: Dimensions, in db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO metric_duration (measure, conversation_id, started_at_ms, ended_at_ms, channel, team, agent, intent, queue)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            measure, conversationID, start, max(start, end.epochMilliseconds), dimensions.channel, dimensions.team, dimensions.agent,
            dimensions.intent, dimensions.queue,
        ])
    }

    /// A conversation started: counted, and counted again as the bot's when it starts with the bot.
    static func conversationOpened(_ id: ConversationID, status: ConversationStatus, at time: Date, in db: Database) throws {
        try count("conversations", conversation: id, at: time, in: db)
        if status == .bot { try count("bot_conversations", conversation: id, at: time, in: db) }
    }

    /// What a customer's message needs for its facts, from the conversation's state as the
    /// workflow read it: on the ingest path, the facts then cost one statement per message.
    struct CustomerMessage {
        var dimensions: Dimensions
        /// No cycle runs and people handle the conversation: this message starts one.
        var startsCycle: Bool

        init(_ state: ConversationWorkflow.State) {
            dimensions = Dimensions(
                channel: state.channelID, team: state.team ?? "", agent: state.assignee.map(String.init) ?? "", intent: state.intent ?? "",
                queue: state.queue ?? "")
            startsCycle = !state.cycleRunning && ![.bot, .resolved, .closed].contains(state.status)
        }
    }

    /// A customer's message was stored: counted; in a conversation people handle, it starts a
    /// response cycle unless one is running. `known` is the conversation as the workflow left it,
    /// when it read it; without it the conversation is read here.
    static func customerMessage(_ id: ConversationID, known: CustomerMessage? = nil, at time: Date, in db: Database) throws {
        if let known {
            try count("messages_in", known.dimensions, at: time, in: db)
            guard known.startsCycle else { return }
        } else {
            try count("messages_in", conversation: id, at: time, in: db)
        }
        try db.cachedStatement(
            sql: """
                UPDATE conversation SET cycle_started_at_ms = ?, cycle_responded = 0
                WHERE id = ? AND status NOT IN ('bot', 'resolved', 'closed') AND cycle_started_at_ms IS NULL
                """
        ).execute(arguments: [time.epochMilliseconds, id])
    }

    /// A reply was queued. A person's first one in a running cycle is its first response.
    static func replied(_ id: ConversationID, agentID: Int64?, role: Author.Role, at time: Date, in db: Database) throws {
        guard let conversation = try snapshot(id, agent: agentID, in: db) else { return }
        var counted = conversation.dimensions
        if role != .agent { counted.agent = "" }
        try count("messages_out", counted, at: time, in: db)
        if role == .bot { try count("bot_answers", counted, at: time, in: db) }
        guard role == .agent, !conversation.cycleResponded, let start = conversation.cycleStartedAt else { return }
        try duration("first_response", conversationID: id, from: start, to: time, conversation.dimensions, in: db)
        try db.cachedStatement(sql: "UPDATE conversation SET cycle_responded = 1 WHERE id = ?").execute(arguments: [id])
    }

    /// The bot handed the conversation to people: the cycle starts at the customer's waiting message.
    static func handedOff(_ id: ConversationID, at time: Date, in db: Database) throws {
        guard let conversation = try snapshot(id, in: db) else { return }
        try count("bot_handoffs", conversation.dimensions, at: time, in: db)
        try db.cachedStatement(
            sql: "UPDATE conversation SET cycle_started_at_ms = COALESCE(cycle_started_at_ms, ?), cycle_responded = 0 WHERE id = ?"
        ).execute(arguments: [(conversation.waitingSince ?? time).epochMilliseconds, id])
    }

    /// The conversation was resolved: a running cycle's resolution time, and the bot's containment
    /// when no person ever wrote in it.
    static func resolved(_ id: ConversationID, at time: Date, in db: Database) throws {
        guard let conversation = try snapshot(id, in: db) else { return }
        try count("resolved", conversation.dimensions, at: time, in: db)
        if let start = conversation.cycleStartedAt {
            try duration("resolution", conversationID: id, from: start, to: time, conversation.dimensions, in: db)
        }
        let contained =
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM message WHERE conversation_id = ?1 AND author_role = 'bot')
                            AND NOT EXISTS (SELECT 1 FROM message WHERE conversation_id = ?1 AND direction = 'out' AND author_role = 'agent')
                        """), arguments: [id]) ?? false
        if contained { try count("bot_contained", conversation.dimensions, at: time, in: db) }
        try db.cachedStatement(sql: "UPDATE conversation SET cycle_started_at_ms = NULL, cycle_responded = 0 WHERE id = ?")
            .execute(arguments: [id])
    }
}
