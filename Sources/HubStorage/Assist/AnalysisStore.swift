package import Foundation
import GRDB
package import HubCore

/// A customer message assist has not read yet, from the event log.
package struct PendingAnalysis: Sendable, Hashable {
    package var seq: Int64
    package var messageID: MessageID
    package var conversationID: ConversationID
    package var customerID: CustomerID
    package var channelID: ChannelID
    package var text: String
}

/// What assist concluded about one message, to be stored.
package struct AnalysisOutcome: Sendable {
    package var message: PendingAnalysis
    package var analysis: MessageAnalysis
    /// The message asks to stop marketing messages.
    package var optOut: Bool

    package init(message: PendingAnalysis, analysis: MessageAnalysis, optOut: Bool) {
        self.message = message
        self.analysis = analysis
        self.optOut = optOut
    }
}

/// Assist's side of the database: it follows the event log with its own committed cursor and
/// stores each analysis, the conversation's intent, language, tone and type, and a
/// `message.analyzed` event, in one transaction with the cursor (so a crash repeats a batch
/// and the repeat changes nothing).
package struct AnalysisStore: Sendable {
    let database: HubDatabase
    package static let consumer = "assist"

    package init(database: HubDatabase) {
        self.database = database
    }

    package var bell: EventBell { database.events }

    /// Customer messages after the cursor, and the cursor to commit when they are stored.
    /// SQLite reads the few fields assist needs out of each event's JSON (`json_extract` runs in
    /// C; decoding every event in Swift cost more than reading the message).
    package func pending(limit: Int) async throws -> (messages: [PendingAnalysis], next: Int64, from: Int64) {
        try await database.writer.read { db in
            let cursor =
                try Int64.fetchOne(db, sql: "SELECT seq FROM event_cursor WHERE consumer = ?", arguments: [Self.consumer]) ?? 0
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT seq, type, json_extract(data, '$.message.id'), json_extract(data, '$.conversation'),
                            json_extract(data, '$.customer'), json_extract(data, '$.channel'), json_extract(data, '$.message.text'),
                            json_extract(data, '$.message.direction'), json_extract(data, '$.message.author.role')
                        FROM event WHERE seq > ? AND type = ? ORDER BY seq LIMIT ?
                        """), arguments: [cursor, HubEventType.messageReceived.rawValue, limit])
            var messages: [PendingAnalysis] = []
            for row in rows {
                guard (row[7] as String?) == MessageDirection.inbound.rawValue, (row[8] as String?) == Author.Role.customer.rawValue,
                    let message = row[2] as MessageID?, let conversation = row[3] as ConversationID?,
                    let customer = row[4] as CustomerID?, let channel = row[5] as String?
                else { continue }
                messages.append(
                    PendingAnalysis(
                        seq: row[0], messageID: message, conversationID: conversation, customerID: customer, channelID: channel,
                        text: row[6] ?? ""))
            }
            // Fewer rows than asked: everything up to the head (in this snapshot) was covered.
            let next: Int64 =
                rows.count == limit ? rows.last![0] : max(cursor, try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0)
            return (messages, next, cursor)
        }
    }

    /// Stores `outcomes` and moves the cursor to `seq`.
    package func record(_ outcomes: [AnalysisOutcome], through seq: Int64, now: Date) async throws {
        try await database.writer.write { db in
            for outcome in outcomes { try Self.store(outcome, now: now, in: db) }
            try EventCursor.commit(consumer: Self.consumer, seq: seq, now: now, in: db)
        }
    }

    private static func store(_ outcome: AnalysisOutcome, now: Date, in db: Database) throws {
        let analysis = outcome.analysis
        let message = outcome.message
        let top = topJSON(analysis.top)
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO message_analysis
                    (message_id, conversation_id, intent, confidence, top, sentiment, sentiment_confidence, language, model, source,
                     analyzed_at)
                SELECT id, conversation_id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM message WHERE id = ?
                """
        ).execute(arguments: [
            analysis.intent, analysis.confidence, top, analysis.sentiment, analysis.sentimentConfidence, analysis.language,
            analysis.model ?? "", analysis.source ?? "model", now, message.messageID,
        ])
        // Already stored (a repeated batch), or the message is gone: nothing more to do.
        guard db.changesCount > 0,
            let current = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT c.id, c.type, c.type_set_by FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE m.id = ?
                        """), arguments: [message.messageID])
        else { return }
        let conversationID: ConversationID = current["id"]
        let previous: String? = current["type"]
        var shopStarted = false
        if previous == nil {
            // Only the first analysis asks who wrote first: a campaign the shop started makes marketing.
            shopStarted =
                try String.fetchOne(
                    db.cachedStatement(sql: "SELECT direction FROM message WHERE conversation_id = ? ORDER BY id LIMIT 1"),
                    arguments: [conversationID]) == MessageDirection.outbound.rawValue
        }
        let type = ConversationType.next(after: previous, intent: analysis.intent, shopStarted: shopStarted, optOut: outcome.optOut)
        let overridden = (current["type_set_by"] as String?) != nil
        // "other" says nothing about the topic: the conversation keeps the intent it had.
        let intent: String? = analysis.intent == AssistLabels.otherIntent ? nil : analysis.intent
        try db.cachedStatement(
            sql: """
                UPDATE conversation SET intent = COALESCE(?, intent), language = ?, sentiment = ?, analysis_pending = 0,
                    type = CASE WHEN type_set_by IS NULL THEN ? ELSE type END
                WHERE id = ?
                """
        ).execute(arguments: [intent, analysis.language, analysis.sentiment, type, conversationID])
        try EventLog.append(
            .messageAnalyzed,
            json: eventJSON(
                analysis, top: top, message: message, conversationID: conversationID, type: overridden ? previous : type),
            at: now, in: db)
    }

    /// `[{"label","probability"}]`, written by hand: this runs for every message.
    static func topJSON(_ top: [ScoredLabel]) -> String {
        let entries = top.map { entry in
            var object = JSONText()
            object.string("label", entry.label)
            object.number("probability", entry.probability)
            return object.object
        }
        return "[" + entries.joined(separator: ",") + "]"
    }

    /// The `message.analyzed` event's data, by hand like the message events.
    static func eventJSON(
        _ analysis: MessageAnalysis, top: String, message: PendingAnalysis, conversationID: ConversationID, type: String?
    ) -> String {
        var fields = JSONText()
        fields.number("confidence", analysis.confidence)
        fields.string("intent", analysis.intent)
        fields.string("language", analysis.language)
        fields.string("model", analysis.model)
        fields.string("sentiment", analysis.sentiment)
        fields.number("sentiment_confidence", analysis.sentimentConfidence)
        fields.string("source", analysis.source)
        fields.raw("top", top)
        var data = JSONText()
        data.raw("analysis", fields.object)
        data.string("channel", message.channelID)
        data.integer("conversation", conversationID)
        data.string("conversation_type", type)
        data.integer("customer", message.customerID)
        data.integer("message_id", message.messageID)
        return data.object
    }

    /// Attaches stored analyses to `views` (messages without one keep `nil`).
    static func attach(to views: inout [MessageView], in db: Database) throws {
        let ids = views.filter { $0.direction == .inbound }.map(\.id)
        guard !ids.isEmpty else { return }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM message_analysis WHERE message_id IN (\(marks))", arguments: StatementArguments(ids))
        var byMessage: [MessageID: MessageAnalysis] = [:]
        for row in rows {
            let top = (try? JSONDecoder().decode([ScoredLabel].self, from: Data((row["top"] as String? ?? "[]").utf8))) ?? []
            byMessage[row["message_id"]] = MessageAnalysis(
                intent: row["intent"], confidence: row["confidence"], top: top, sentiment: row["sentiment"],
                sentimentConfidence: row["sentiment_confidence"], language: row["language"], model: row["model"], source: row["source"])
        }
        for index in views.indices { views[index].analysis = byMessage[views[index].id] }
    }
}
