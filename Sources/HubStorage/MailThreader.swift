import Foundation
import GRDB
import HubCore

/// Finds the conversation an inbound mail continues, by several signals together,
/// and never joins a stranger's conversation: a match counts only when the sender is
/// the customer the conversation belongs to, or a participant of it (someone an
/// earlier mail of it went to). The newsletter case, where two people answer one
/// message, gives two conversations.
enum MailThreader {
    /// The conversation to continue, or `nil` to start a new one.
    static func conversation(
        for mail: MailThreading, channelID: ChannelID, customerRoot: CustomerID, in db: Database
    ) throws -> ConversationID? {
        var candidates: [ConversationID] = []
        // 1. In-Reply-To / References against Message-IDs the hub stored or sent.
        if !mail.references.isEmpty {
            let marks = databaseQuestionMarks(count: mail.references.count)
            candidates += try ConversationID.fetchAll(
                db,
                sql: """
                    SELECT conversation_id FROM message WHERE channel_id = ? AND provider_message_id IN (\(marks)) ORDER BY id DESC
                    """, arguments: StatementArguments([channelID] + mail.references))
        }
        // 2. The conversation token in the hub's own Message-IDs (`conv-42.msg-9@…`).
        for reference in mail.references {
            if let token = reference.firstMatch(of: /^conv-(\d+)\./)?.1, let id = Int64(token) { candidates.append(id) }
        }
        // 3. A plus-addressed reply address (`support+c42@…`).
        for address in mail.to {
            if let token = address.firstMatch(of: /\+c(\d+)@/)?.1, let id = Int64(token) { candidates.append(id) }
        }
        for candidate in candidates {
            if try belongs(candidate, channelID: channelID, to: customerRoot, in: db)
                || isParticipant(mail.from, of: candidate, channelID: channelID, in: db)
            {
                return candidate
            }
        }
        // 4. The subject (an Outlook reply without In-Reply-To), within the customer's recent mail.
        let base = MailThreading.baseSubject(mail.subject)
        guard !base.isEmpty else { return nil }
        return try ConversationID.fetchOne(
            db,
            sql: """
                SELECT e.conversation_id FROM mail_envelope e
                JOIN conversation c ON c.id = e.conversation_id
                JOIN customer owner ON owner.id = c.customer_id
                WHERE e.base_subject = ? AND c.channel_id = ? AND owner.root_id = ? AND c.status <> 'closed'
                ORDER BY e.message_id DESC LIMIT 1
                """, arguments: [base, channelID, customerRoot])
    }

    static func belongs(_ conversation: ConversationID, channelID: ChannelID, to customerRoot: CustomerID, in db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT owner.root_id = ? FROM conversation c JOIN customer owner ON owner.id = c.customer_id
                WHERE c.id = ? AND c.channel_id = ?
                """, arguments: [customerRoot, conversation, channelID]) ?? false
    }

    static func isParticipant(_ address: String, of conversation: ConversationID, channelID: ChannelID, in db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM mail_envelope e JOIN conversation c ON c.id = e.conversation_id
                    WHERE e.conversation_id = ?1 AND c.channel_id = ?3
                    AND (e.sender = ?2 OR ' ' || e.recipients || ' ' LIKE '% ' || ?2 || ' %'))
                """, arguments: [conversation, address.lowercased(), channelID]) ?? false
    }

    static func record(_ mail: MailThreading, messageID: MessageID, conversationID: ConversationID, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO mail_envelope (message_id, conversation_id, rfc_message_id, subject, base_subject, sender, refs, automated, recipients)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                messageID, conversationID, mail.messageID, mail.subject, MailThreading.baseSubject(mail.subject), mail.from.lowercased(),
                mail.references.joined(separator: " "), mail.automated, mail.to.map { $0.lowercased() }.joined(separator: " "),
            ])
    }

    /// The customer's last mail in a conversation: who to answer and under which thread.
    static func replyContext(conversationID: ConversationID, in db: Database) throws -> MailReplyContext? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT rfc_message_id, subject, sender, refs FROM mail_envelope
                    WHERE conversation_id = ? AND automated = 0 ORDER BY message_id DESC LIMIT 1
                    """, arguments: [conversationID])
        else { return nil }
        let parent: String = row["rfc_message_id"]
        let earlier = (row["refs"] as String).split(separator: " ").map(String.init).reversed()
        return MailReplyContext(
            to: row["sender"], subject: MailReplyContext.replySubject(row["subject"]), inReplyTo: parent,
            references: Array(earlier.filter { $0 != parent }) + [parent])
    }
}
