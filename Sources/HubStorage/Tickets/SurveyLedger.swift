import Foundation
import GRDB
import HubCore

/// Satisfaction surveys: sent on the customer's channel when a ticket is solved, answered by
/// the customer's next message when it reads as a score.
enum SurveyLedger {
    /// The ticket of `conversationID` whose survey awaits an answer at `at`, if any.
    static func awaiting(conversationID: ConversationID, at: Date, window: Duration, in db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT t.id FROM ticket_conversation tc JOIN ticket t ON t.id = tc.ticket_id
                    WHERE tc.conversation_id = ? AND t.survey_state = 'sent' AND t.survey_sent_at <= ? AND t.survey_sent_at >= ?
                    ORDER BY t.survey_sent_at DESC LIMIT 1
                    """), arguments: [conversationID, at, at.addingTimeInterval(-window.timeInterval)])
    }

    /// Stores `text` as the survey answer when it is one; returns whether it was.
    static func answer(text: String, conversationID: ConversationID, at: Date, window: Duration, now: Date, in db: Database) throws -> Bool
    {
        guard let answer = SurveyAnswer(text), let ticket = try awaiting(conversationID: conversationID, at: at, window: window, in: db)
        else { return false }
        try db.execute(
            sql: "UPDATE ticket SET survey_state = 'answered', csat_score = ?, csat_comment = ?, csat_at = ?, updated_at = ? WHERE id = ?",
            arguments: [answer.score, answer.comment, at, now, ticket])
        try TicketLedger.history(
            ticket, actor: "customer", [TicketChange(field: "csat", old: nil, new: String(answer.score))], now: now, in: db)
        if let row = try Row.fetchOne(db, sql: "SELECT customer_id, channel_id FROM conversation WHERE id = ?", arguments: [conversationID])
        {
            let summary = "\(TicketNumber.text(ticket)) rated \(answer.score)/5" + (answer.comment.map { ": \($0)" } ?? "")
            try InboundApplier.addTimelineEvent(
                customerID: row[0], channelID: row[1], kind: "survey", at: at, conversationID: conversationID, summary: summary, in: db)
        }
        try TicketLedger.event(
            .ticketSurvey, ticket, actor: "customer", changes: [], extra: ["score": String(answer.score)], now: now, in: db)
        return true
    }

    /// Sends the survey of a just-solved ticket on its most recent conversation; a channel that
    /// refuses (a closed reply window) leaves the reason on the ticket instead.
    static func send(
        ticket: Int64, capabilities: (ChannelID) -> ChannelCapabilities?, now: Date, in db: Database
    ) throws -> Bool {
        guard
            try String.fetchOne(db, sql: "SELECT survey_state FROM ticket WHERE id = ?", arguments: [ticket]) == nil,
            let conversation = try Row.fetchOne(
                db,
                sql: """
                    SELECT c.id, c.language FROM ticket_conversation tc JOIN conversation c ON c.id = tc.conversation_id
                    WHERE tc.ticket_id = ? ORDER BY c.last_message_at DESC, c.id DESC LIMIT 1
                    """, arguments: [ticket])
        else { return false }
        let text = SurveyAnswer.question(ticket: TicketNumber.text(ticket), language: conversation["language"])
        do {
            _ = try OutboxStore.enqueue(
                conversationID: conversation["id"], parts: [.text(text)], author: Author(role: .system, name: "survey"), agentID: nil,
                capabilities: capabilities, now: now, in: db)
            try db.execute(
                sql: "UPDATE ticket SET survey_state = 'sent', survey_sent_at = ?, survey_conversation_id = ? WHERE id = ?",
                arguments: [now, conversation["id"], ticket])
            return true
        } catch let refusal as HubError {
            try db.execute(
                sql: "UPDATE ticket SET survey_state = ? WHERE id = ?", arguments: ["unsent: \(refusal.message)", ticket])
            return false
        }
    }
}
