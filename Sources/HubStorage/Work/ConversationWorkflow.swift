package import Foundation
import GRDB
package import HubCore

/// What the workflow needs of the manifest while messages are applied.
package struct WorkflowPolicy: Sendable, Hashable {
    /// How long after resolving a customer's message reopens the conversation.
    package var reopenWindow: TimeInterval
    /// Whether assist reads customer messages, so that routing should wait for it briefly.
    package var awaitsAnalysis: Bool
    /// The channels whose new conversations may start with the bot, with the calendar its
    /// `after_hours` mode reads.
    package var bots: [ChannelID: BotStart]
    /// How long after a ticket's survey a score is taken as its answer (and wakes nobody).
    package var surveyWindow: Duration = .seconds(7 * 86_400)

    package init(reopenWindow: TimeInterval = 7 * 86_400, awaitsAnalysis: Bool = false, bots: [ChannelID: BotStart] = [:]) {
        self.reopenWindow = reopenWindow
        self.awaitsAnalysis = awaitsAnalysis
        self.bots = bots
    }

    package init(_ settings: RoutingSettings, awaitsAnalysis: Bool = false, bots: [ChannelID: BotStart] = [:]) {
        self.reopenWindow = settings.reopenWindow.timeInterval
        self.awaitsAnalysis = awaitsAnalysis
        self.bots = bots
    }

    /// The status a conversation of `channelID` starts in at `now`: the bot's, or the queue.
    package func startStatus(channelID: ChannelID, at now: Date) -> ConversationStatus {
        guard let bot = bots[channelID], bot.settings.takes(at: now, calendar: bot.calendar) else { return .queued }
        return .bot
    }
}

/// A channel's bot and the calendar it reads.
package struct BotStart: Sendable, Hashable {
    package var settings: BotSettings
    package var calendar: BusinessCalendar?

    package init(settings: BotSettings, calendar: BusinessCalendar?) {
        self.settings = settings
        self.calendar = calendar
    }
}

extension Duration {
    package var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// The conversation workflow inside the caller's transaction: what a customer's message and
/// an agent's reply do to a conversation's status and owner, each change logged as an event.
enum ConversationWorkflow {
    struct State {
        var id: ConversationID
        var status: ConversationStatus
        var assignee: Int64?
        var resolvedAt: Date?
        var channelID: ChannelID
        var threadKey: String
        var customerID: CustomerID
        var subject: String?
        /// The report dimensions the conversation has now, and whether a response cycle is running.
        var team: String?
        var intent: String?
        var queue: String?
        var cycleRunning: Bool
    }

    static func state(_ id: ConversationID, in db: Database) throws -> State? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT status, assignee_id, resolved_at, channel_id, thread_key, customer_id, subject, team, intent, queue_id,
                            cycle_started_at_ms IS NOT NULL
                        FROM conversation WHERE id = ?
                        """), arguments: [id])
        else { return nil }
        return State(
            id: id, status: ConversationStatus(rawValue: row[0]) ?? .queued, assignee: row[1], resolvedAt: row[2], channelID: row[3],
            threadKey: row[4], customerID: row[5], subject: row[6], team: row[7], intent: row[8], queue: row[9], cycleRunning: row[10])
    }

    /// Whether `agentID` may hold work now: an active account that is online.
    static func isAvailable(_ agentID: Int64?, in db: Database) throws -> Bool {
        guard let agentID else { return false }
        return try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT active = 1 AND presence = 'online' FROM agent WHERE id = ?"), arguments: [agentID]) ?? false
    }

    /// Applies a customer's message written at `time` to the conversation of its thread: it
    /// joins and wakes it, reopens it within the window (to the same agent only while they are
    /// online), or starts a new conversation on the same thread. Returns the conversation the
    /// message belongs to and, when that conversation did not move, what the message's metric
    /// facts need, from the state read here (so the facts cost no read of their own).
    static func customerWrote(
        conversationID: ConversationID, text: String, at time: Date, policy: WorkflowPolicy, now: Date, in db: Database
    ) throws -> (ConversationID, MetricFacts.CustomerMessage?) {
        guard let state = try state(conversationID, in: db) else { return (conversationID, nil) }
        // A score answering a solved ticket's survey is not new work: the conversation stays as it is.
        if [.pending, .resolved, .closed].contains(state.status), SurveyAnswer(text) != nil,
            try SurveyLedger.awaiting(conversationID: conversationID, at: now, window: policy.surveyWindow, in: db) != nil
        {
            return (conversationID, MetricFacts.CustomerMessage(state))
        }
        // Only a pending, snoozed or resolved conversation goes back to its agent; the others need no presence read.
        let available = [.pending, .snoozed, .resolved].contains(state.status) ? try isAvailable(state.assignee, in: db) : false
        let language = LanguageGuess.of(text)
        switch state.status.customerWrote(at: now, resolvedAt: state.resolvedAt, reopenWindow: policy.reopenWindow, hasAssignee: available)
        {
        case .join(var status):
            // A conversation only the bot handled goes back to the bot; one people worked on, to people.
            if status == .queued, state.status == .resolved, state.assignee == nil,
                policy.startStatus(channelID: state.channelID, at: now) == .bot
            {
                status = .bot
            }
            try db.cachedStatement(
                sql: """
                    UPDATE conversation SET waiting_since = COALESCE(waiting_since, ?), language = COALESCE(?, language),
                        analysis_pending = ? WHERE id = ?
                    """
            ).execute(arguments: [now, language, policy.awaitsAnalysis, conversationID])
            guard status != state.status else {
                // Unchanged, the state read above is what the message's facts need.
                return (conversationID, MetricFacts.CustomerMessage(state))
            }
            try move(state, to: status, actor: "customer", reason: "the customer wrote", now: now, in: db)
            return (conversationID, nil)
        case .startNew:
            try db.execute(sql: "UPDATE conversation SET current = 0 WHERE id = ?", arguments: [conversationID])
            var record = ConversationRecord(
                customerId: state.customerID, channelId: state.channelID, threadKey: state.threadKey,
                status: policy.startStatus(channelID: state.channelID, at: now).rawValue,
                createdAt: time, lastMessageAt: time, subject: state.subject, queuedAt: now, waitingSince: now, language: language)
            try record.insert(db)
            guard let id = record.id else { throw DatabaseError(message: "conversation insert returned no id") }
            try MetricFacts.conversationOpened(
                id, status: ConversationStatus(rawValue: record.status) ?? .queued, at: time, in: db)
            if policy.awaitsAnalysis { try db.execute(sql: "UPDATE conversation SET analysis_pending = 1 WHERE id = ?", arguments: [id]) }
            try EventLog.append(.conversationOpened, json: EventLog.conversationJSON(try record.summary(in: db)), at: now, in: db)
            return (id, nil)
        }
    }

    /// Moves a conversation to `status` with what that status implies for its owner and
    /// clocks, and logs `conversation.status`.
    static func move(_ state: State, to status: ConversationStatus, actor: String, reason: String, now: Date, in db: Database) throws {
        switch status {
        case .queued:
            try db.execute(
                sql: """
                    UPDATE conversation SET status = 'queued', assignee_id = NULL, accepted_at = NULL, assigned_at = NULL,
                        resolved_at = NULL, snoozed_until = NULL, queued_at = COALESCE(waiting_since, ?), wait_notice_position = NULL,
                        wait_notice_range = NULL, updated_at = ?
                    WHERE id = ?
                    """, arguments: [now, now, state.id])
        case .open:
            try db.execute(
                sql: """
                    UPDATE conversation SET status = 'open', resolved_at = NULL, snoozed_until = NULL,
                        accepted_at = COALESCE(accepted_at, ?), updated_at = ?
                    WHERE id = ?
                    """, arguments: [now, now, state.id])
        case .resolved:
            try db.execute(
                sql:
                    "UPDATE conversation SET status = 'resolved', resolved_at = ?, snoozed_until = NULL, waiting_since = NULL, updated_at = ? WHERE id = ?",
                arguments: [now, now, state.id])
        case .closed:
            try db.execute(
                sql:
                    "UPDATE conversation SET status = 'closed', resolved_at = COALESCE(resolved_at, ?), snoozed_until = NULL, waiting_since = NULL, updated_at = ? WHERE id = ?",
                arguments: [now, now, state.id])
        case .bot:
            // Handed back to the bot: nobody owns it, and it answers the customer's next message.
            try db.execute(
                sql: """
                    UPDATE conversation SET status = 'bot', assignee_id = NULL, accepted_at = NULL, assigned_at = NULL,
                        resolved_at = NULL, snoozed_until = NULL, updated_at = ?
                    WHERE id = ?
                    """, arguments: [now, state.id])
        case .pending, .snoozed:
            try db.execute(
                sql: "UPDATE conversation SET status = ?, updated_at = ? WHERE id = ?", arguments: [status.rawValue, now, state.id])
        }
        if status == .resolved || (status == .closed && state.status != .resolved) {
            try MetricFacts.resolved(state.id, at: now, in: db)
        }
        try logChange(
            .conversationStatus, conversationID: state.id, actor: actor, detail: ["from": state.status.rawValue, "reason": reason],
            now: now, in: db)
    }

    /// An agent's or the hub's reply was queued: the customer is answered; an agent account that
    /// answers a queued conversation takes it, and an offered one is thereby accepted.
    static func agentReplied(conversationID: ConversationID, agentID: Int64?, now: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE conversation SET waiting_since = NULL WHERE id = ?", arguments: [conversationID])
        guard let agentID, let state = try state(conversationID, in: db) else { return }
        // What they were writing is sent.
        try DraftStore.remove(conversation: conversationID, agent: agentID, in: db)
        if state.status == .queued {
            try db.execute(
                sql: """
                    UPDATE conversation SET status = 'open', assignee_id = ?, assigned_at = ?, accepted_at = ?, updated_at = ?
                    WHERE id = ? AND status = 'queued'
                    """, arguments: [agentID, now, now, now, conversationID])
            try logChange(
                .conversationAssigned, conversationID: conversationID, actor: "agent:\(agentID)", detail: ["reason": "the agent replied"],
                now: now, in: db)
        } else if state.assignee == agentID {
            try db.execute(
                sql: "UPDATE conversation SET accepted_at = COALESCE(accepted_at, ?) WHERE id = ?", arguments: [now, conversationID])
        }
    }

    /// Logs a conversation event: the conversation's header with `actor` and `detail` beside it.
    static func logChange(
        _ type: HubEventType, conversationID: ConversationID, actor: String, detail: [String: String], now: Date, in db: Database
    ) throws {
        guard let view = try WorkQueries.item(conversationID, now: now, in: db) else { return }
        var data = JSONText()
        data.raw("conversation", String(decoding: try APIJSON.encoder.encode(view), as: UTF8.self))
        data.string("actor", actor)
        for key in detail.keys.sorted() { data.string(key, detail[key]) }
        try EventLog.append(type, json: data.object, at: now, in: db)
    }
}
