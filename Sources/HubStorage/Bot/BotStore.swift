package import Foundation
import GRDB
package import HubCore

/// A customer message assist has read, for the bot to decide on.
package struct BotPendingTurn: Sendable, Hashable {
    package var seq: Int64
    package var messageID: MessageID
    package var channelID: ChannelID
}

/// Everything the bot reads for one turn, from one snapshot.
package struct BotTurnContext: Sendable {
    package var messageID: MessageID
    package var conversationID: ConversationID
    /// The customer's root in the identity graph: orders of every merged identity are theirs.
    package var customerID: CustomerID
    package var channelID: ChannelID
    package var text: String
    package var analysis: MessageAnalysis?
    package var status: ConversationStatus
    package var labels: [String]
    /// The bot's state as stored (JSON), `nil` before its first turn.
    package var stateJSON: String?
    package var orders: [OrderView]
    /// The customer's earlier messages in the conversation, oldest first (at most five).
    package var earlierCustomerTexts: [String]
    /// The last thing the bot (or anyone on the hub's side) said before this message.
    package var lastBotText: String?
    /// The turn was already decided (a repeat after a crash).
    package var decided: Bool
    /// The action this turn started and never finished (a crash between the shop's call and the reply).
    package var unfinishedAction: String?
}

/// What the bot decided for one turn, to be stored with its reply.
package struct BotTurnRecord: Sendable {
    package var messageID: MessageID
    package var conversationID: ConversationID
    package var intent: String
    /// The hand-off reason, `nil` when the bot answered.
    package var handoff: String?
    /// The hand-off summary agents see.
    package var summary: String?
    package var reply: [MessagePart]
    package var stateJSON: String
    package var citationsJSON: String
    package var groundingJSON: String
    package var phrasing: String
    /// An angry customer goes up the queue.
    package var raisePriority: Bool
    /// The action this turn ran at the shop, as JSON, with its outcome.
    package var actionJSON: String?
    package var actionOutcome: String?
    package var actionSummary: String?

    package init(
        messageID: MessageID, conversationID: ConversationID, intent: String, handoff: String?, summary: String?, reply: [MessagePart],
        stateJSON: String, citationsJSON: String, groundingJSON: String, phrasing: String = "template", raisePriority: Bool = false,
        actionJSON: String? = nil, actionOutcome: String? = nil, actionSummary: String? = nil
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.intent = intent
        self.handoff = handoff
        self.summary = summary
        self.reply = reply
        self.stateJSON = stateJSON
        self.citationsJSON = citationsJSON
        self.groundingJSON = groundingJSON
        self.phrasing = phrasing
        self.raisePriority = raisePriority
        self.actionJSON = actionJSON
        self.actionOutcome = actionOutcome
        self.actionSummary = actionSummary
    }
}

/// What storing a turn did.
package struct BotTurnStored: Sendable, Hashable {
    /// The reply's message, when one was queued.
    package var replyMessageID: MessageID?
    /// Why the reply could not be queued (the channel's window, an opt-out).
    package var refused: String?
    /// The conversation was no longer the bot's (an agent took it): nothing was said.
    package var quiet: Bool
}

/// The bot's side of the database: it follows `message.analyzed` with its own cursor, reads a
/// turn's context (the conversation, the customer's orders across merged identities, its own
/// state), and stores each decision with its reply, state, hand-off and action in one transaction.
package struct BotStore: Sendable {
    let database: HubDatabase
    let writer: GroupCommitWriter?
    package static let consumer = "bot"

    package init(database: HubDatabase, writer: GroupCommitWriter? = nil) {
        self.database = database
        self.writer = writer
    }

    package var bell: EventBell { database.events }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let writer { return try await writer.write(body) }
        return try await database.writer.write(body)
    }

    /// Analysed customer messages after the cursor, and the cursor to commit when they are done.
    package func pending(limit: Int) async throws -> (turns: [BotPendingTurn], next: Int64, from: Int64) {
        try await database.writer.read { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT seq FROM event_cursor WHERE consumer = ?", arguments: [Self.consumer]) ?? 0
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT seq, json_extract(data, '$.message_id'), json_extract(data, '$.channel')
                        FROM event WHERE seq > ? AND type = ? ORDER BY seq LIMIT ?
                        """), arguments: [cursor, HubEventType.messageAnalyzed.rawValue, limit])
            let turns = rows.compactMap { row -> BotPendingTurn? in
                guard let message = row[1] as MessageID?, let channel = row[2] as String? else { return nil }
                return BotPendingTurn(seq: row[0], messageID: message, channelID: channel)
            }
            let next: Int64 =
                rows.count == limit ? rows.last![0] : max(cursor, try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0)
            return (turns, next, cursor)
        }
    }

    /// Moves the cursor to `seq`.
    package func commit(through seq: Int64, now: Date) async throws {
        try await write { db in try EventCursor.commit(consumer: Self.consumer, seq: seq, now: now, in: db) }
    }

    /// The context of the turn that `messageID` starts; `nil` when the message is gone.
    package func context(messageID: MessageID) async throws -> BotTurnContext? {
        try await database.writer.read { db in try Self.context(messageID: messageID, in: db) }
    }

    /// The context of the conversation's latest customer message.
    package func context(conversationID: ConversationID) async throws -> BotTurnContext? {
        try await database.writer.read { db in
            guard
                let id = try MessageID.fetchOne(
                    db, sql: "SELECT id FROM message WHERE conversation_id = ? AND direction = 'in' ORDER BY id DESC LIMIT 1",
                    arguments: [conversationID])
            else { return nil }
            return try Self.context(messageID: id, in: db)
        }
    }

    static func context(messageID: MessageID, in db: Database) throws -> BotTurnContext? {
        guard let message = try MessageRecord.fetchOne(db, key: messageID),
            let conversation = try Row.fetchOne(
                db, sql: "SELECT customer_id, status, labels FROM conversation WHERE id = ?", arguments: [message.conversationId])
        else { return nil }
        let home: CustomerID = conversation["customer_id"]
        let root = try IdentityGraph.root(of: home, in: db) ?? home
        var views = [try message.view()]
        try AnalysisStore.attach(to: &views, in: db)
        let earlier = try MessageRecord.fetchAll(
            db,
            sql: "SELECT * FROM message WHERE conversation_id = ? AND id < ? AND direction = 'in' ORDER BY id DESC LIMIT 5",
            arguments: [message.conversationId, messageID]
        ).reversed().map { try $0.view().text }
        let lastBot = try MessageRecord.fetchOne(
            db,
            sql: """
                SELECT * FROM message WHERE conversation_id = ? AND id < ? AND direction = 'out' AND author_role IN ('bot', 'agent')
                ORDER BY id DESC LIMIT 1
                """, arguments: [message.conversationId, messageID])
        let turn = try Row.fetchOne(db, sql: "SELECT action, action_outcome FROM bot_turn WHERE message_id = ?", arguments: [messageID])
        let action: String? = turn?["action"]
        let outcome: String? = turn?["action_outcome"]
        return BotTurnContext(
            messageID: messageID, conversationID: message.conversationId, customerID: root, channelID: message.channelId,
            text: views[0].text, analysis: views[0].analysis,
            status: ConversationStatus(rawValue: conversation["status"]) ?? .queued, labels: JSONList.decode(conversation["labels"]),
            stateJSON: try String.fetchOne(
                db, sql: "SELECT state FROM bot_conversation WHERE conversation_id = ?", arguments: [message.conversationId]),
            orders: try OrderStore.orders(root: root, limit: 20, in: db), earlierCustomerTexts: Array(earlier),
            lastBotText: try lastBot?.view().text, decided: turn != nil && (action == nil || outcome != nil),
            unfinishedAction: action != nil && outcome == nil ? action : nil)
    }

    /// Stores, before the shop is called, that this turn runs `actionJSON`: a crash after this
    /// point never runs it again. Returns `false` when the turn was already decided.
    package func beginAction(
        messageID: MessageID, conversationID: ConversationID, intent: String, actionJSON: String, stateJSON: String, now: Date
    ) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO bot_turn (message_id, conversation_id, intent, action, decided_at) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [messageID, conversationID, intent, actionJSON, now])
            guard db.changesCount > 0 else { return false }
            try Self.saveState(conversationID: conversationID, json: stateJSON, now: now, in: db)
            return true
        }
    }

    /// Stores a decided turn: the bot's state, the reply through the outbox (refused replies
    /// are kept as the refusal), the hand-off (the conversation queued for people with a
    /// summary on the timeline) and the action's outcome, and moves the cursor to `cursor`.
    package func record(
        _ turn: BotTurnRecord, cursor: Int64?, capabilities: @escaping @Sendable (ChannelID) -> ChannelCapabilities?, now: Date
    ) async throws -> BotTurnStored {
        try await record([turn], cursor: cursor, capabilities: capabilities, now: now)[0]
    }

    /// Stores several decided turns in one transaction (one commit for a page of turns).
    package func record(
        _ turns: [BotTurnRecord], cursor: Int64?, capabilities: @escaping @Sendable (ChannelID) -> ChannelCapabilities?, now: Date
    ) async throws -> [BotTurnStored] {
        try await write { db in
            let stored = try turns.map { try Self.record($0, capabilities: capabilities, now: now, in: db) }
            if let cursor { try EventCursor.commit(consumer: Self.consumer, seq: cursor, now: now, in: db) }
            return stored
        }
    }

    static func record(
        _ turn: BotTurnRecord, capabilities: @escaping @Sendable (ChannelID) -> ChannelCapabilities?, now: Date, in db: Database
    ) throws -> BotTurnStored {
        try db.execute(
            sql: """
                INSERT INTO bot_turn (message_id, conversation_id, intent, handoff, citations, grounding, phrasing, decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (message_id) DO UPDATE SET intent = excluded.intent, handoff = excluded.handoff,
                    citations = excluded.citations, grounding = excluded.grounding, phrasing = excluded.phrasing
                WHERE bot_turn.action IS NOT NULL AND bot_turn.action_outcome IS NULL
                """,
            arguments: [
                turn.messageID, turn.conversationID, turn.intent, turn.handoff, turn.citationsJSON, turn.groundingJSON, turn.phrasing,
                now,
            ])
        // A repeat of a turn already stored: it was answered then.
        guard db.changesCount > 0 else { return BotTurnStored(replyMessageID: nil, refused: nil, quiet: true) }
        guard let state = try ConversationWorkflow.state(turn.conversationID, in: db) else {
            return BotTurnStored(replyMessageID: nil, refused: nil, quiet: true)
        }
        try Self.saveState(conversationID: turn.conversationID, json: turn.stateJSON, now: now, in: db)
        if let outcome = turn.actionOutcome {
            try db.execute(
                sql: "UPDATE bot_turn SET action = COALESCE(action, ?), action_outcome = ? WHERE message_id = ?",
                arguments: [turn.actionJSON, outcome, turn.messageID])
            try InboundApplier.addTimelineEvent(
                customerID: state.customerID, channelID: state.channelID, kind: "bot_action", at: now, conversationID: state.id,
                summary: turn.actionSummary ?? outcome, in: db)
            var data = JSONText()
            data.raw("action", turn.actionJSON ?? "null")
            data.integer("conversation", turn.conversationID)
            data.integer("message_id", turn.messageID)
            data.string("outcome", outcome)
            data.string("summary", turn.actionSummary)
            try EventLog.append(.botAction, json: data.object, at: now, in: db)
            try AuditLedger.append(
                AuditEntry(
                    at: now, actor: "bot", action: "bot.action", target: "conversation:\(turn.conversationID)", outcome: outcome,
                    detail: turn.actionJSON), in: db)
        }
        // An agent took the conversation while the bot was deciding: the bot stays quiet.
        guard state.status == .bot else { return BotTurnStored(replyMessageID: nil, refused: nil, quiet: true) }
        var stored = BotTurnStored(replyMessageID: nil, refused: nil, quiet: false)
        if !turn.reply.isEmpty {
            do {
                var queued: QueuedReply?
                try db.inSavepoint {
                    queued = try OutboxStore.enqueue(
                        conversationID: turn.conversationID, parts: turn.reply, author: Author(role: .bot, name: "Tributary bot"),
                        agentID: nil, capabilities: capabilities, now: now, in: db)
                    return .commit
                }
                stored.replyMessageID = queued?.message.id
            } catch let refusal as HubError {
                stored.refused = refusal.message
            }
            if let reply = stored.replyMessageID {
                try db.execute(sql: "UPDATE bot_turn SET reply_message_id = ? WHERE message_id = ?", arguments: [reply, turn.messageID])
            }
        }
        if let reason = turn.handoff {
            try Self.handOff(
                state, reason: reason, intent: turn.intent, summary: turn.summary ?? reason, raise: turn.raisePriority, now: now, in: db)
        }
        return stored
    }

    static func saveState(conversationID: ConversationID, json: String, now: Date, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO bot_conversation (conversation_id, state, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (conversation_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                """, arguments: [conversationID, json, now])
    }

    /// Queues the conversation for people, with the summary as a note on the conversation and the timeline.
    static func handOff(
        _ state: ConversationWorkflow.State, reason: String, intent: String, summary: String, raise: Bool, now: Date, in db: Database
    ) throws {
        if raise {
            try db.execute(
                sql: "UPDATE conversation SET priority = 'high' WHERE id = ? AND priority IN ('low', 'normal')", arguments: [state.id])
        }
        // The customer's question is still open: their wait counts from now at the latest.
        try db.execute(sql: "UPDATE conversation SET waiting_since = COALESCE(waiting_since, ?) WHERE id = ?", arguments: [now, state.id])
        try ConversationWorkflow.move(state, to: .queued, actor: "bot", reason: "bot hand-off: \(reason)", now: now, in: db)
        try MetricFacts.handedOff(state.id, at: now, in: db)
        try AuditLedger.append(
            AuditEntry(at: now, actor: "bot", action: "bot.handoff", target: "conversation:\(state.id)", detail: reason), in: db)
        try db.execute(
            sql: "INSERT INTO conversation_note (conversation_id, author, agent_id, text, created_at) VALUES (?, 'bot', NULL, ?, ?)",
            arguments: [state.id, summary, now])
        try InboundApplier.addTimelineEvent(
            customerID: state.customerID, channelID: state.channelID, kind: "handoff", at: now, conversationID: state.id, summary: summary,
            in: db)
        var data = JSONText()
        data.integer("conversation", state.id)
        data.string("intent", intent)
        data.string("reason", reason)
        data.string("summary", summary)
        try EventLog.append(.botHandoff, json: data.object, at: now, in: db)
    }
}
