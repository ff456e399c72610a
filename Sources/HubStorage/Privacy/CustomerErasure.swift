package import Foundation
import GRDB
package import HubCore

/// What an erasure changed.
package struct ErasureSummary: Sendable, Hashable, Codable {
    package var customer: CustomerID
    package var customers: Int
    package var identities: Int
    package var messages: Int
    package var conversations: Int
    package var orders: Int
}

/// Anonymises a customer and everyone merged with them, in one transaction (GDPR art. 17, CCPA
/// deletion): identities and attributes are removed; message texts, attachments, mail subjects and
/// senders, the raw deliveries in the inbox, notes, drafts, timeline summaries and the event log's
/// copies are replaced with a marker; the full-text index loses the messages; conversations lose the
/// address they were threaded on. Orders stay for the books (they hold no contact data here), tickets
/// keep their facts with the subject erased, and the audit trail keeps the erasure itself.
package struct CustomerErasure: Sendable {
    package static let marker = "[erased]"
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// `nil` for an unknown customer.
    package func erase(customerID: CustomerID, actor: String, reason: String?, now: Date) async throws -> ErasureSummary? {
        try await database.writer.writeWithoutTransaction { db in
            // Freed pages are zeroed, so erased values do not linger in the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            var summary: ErasureSummary?
            try db.inTransaction {
                summary = try Self.erase(customerID, actor: actor, reason: reason, now: now, in: db)
                return .commit
            }
            // The full-text index keeps deleted terms in its segments until they are merged.
            if summary != nil { try db.execute(sql: "INSERT INTO message_fts (message_fts) VALUES ('optimize')") }
            return summary
        }
    }

    private static func erase(_ customerID: CustomerID, actor: String, reason: String?, now: Date, in db: Database) throws
        -> ErasureSummary?
    {
        guard let root = try IdentityGraph.root(of: customerID, in: db) else { return nil }
        let group = try CustomerID.fetchAll(db, sql: "SELECT id FROM customer WHERE root_id = ?", arguments: [root])
        let list = group.map(String.init).joined(separator: ",")
        let conversations = try Int64.fetchAll(db, sql: "SELECT id FROM conversation WHERE customer_id IN (\(list))")
        let conversationList = conversations.isEmpty ? "NULL" : conversations.map(String.init).joined(separator: ",")
        let messages = try Int64.fetchAll(db, sql: "SELECT id FROM message WHERE conversation_id IN (\(conversationList))")
        let messageList = messages.isEmpty ? "NULL" : messages.map(String.init).joined(separator: ",")
        let marker = Self.marker
        let erasedParts = String(decoding: try JSONEncoder().encode([MessagePart.text(marker)]), as: UTF8.self)

        // The raw deliveries first, found through the events that recorded them.
        try db.execute(
            sql: """
                UPDATE inbox SET payload = CAST('' AS BLOB), result = NULL WHERE id IN (
                    SELECT inbox_id FROM event WHERE inbox_id IS NOT NULL AND json_extract(data, '$.message.id') IN (\(messageList)))
                """)
        try db.execute(
            sql: """
                UPDATE event SET data = json_set(data, '$.message.text', ?, '$.message.parts', json(?), '$.message.subject', NULL,
                    '$.message.author.name', NULL)
                WHERE json_extract(data, '$.message.id') IN (\(messageList))
                """, arguments: [marker, erasedParts])
        try db.execute(
            sql:
                "UPDATE event SET data = json_set(data, '$.name', NULL) WHERE type = 'customer.created' AND json_extract(data, '$.customer') IN (\(list))"
        )
        try db.execute(sql: "UPDATE message SET parts = ?, author_name = NULL WHERE id IN (\(messageList))", arguments: [erasedParts])
        try db.execute(sql: "DELETE FROM message_fts WHERE rowid IN (\(messageList))")
        try db.execute(
            sql:
                "UPDATE mail_envelope SET subject = ?, base_subject = ?, sender = '', recipients = '' WHERE message_id IN (\(messageList))",
            arguments: [marker, marker])
        try db.execute(sql: "UPDATE conversation_note SET text = ? WHERE conversation_id IN (\(conversationList))", arguments: [marker])
        try db.execute(sql: "DELETE FROM draft WHERE conversation_id IN (\(conversationList))")
        try db.execute(sql: "UPDATE timeline_event SET summary = ? WHERE customer_id IN (\(list))", arguments: [marker])
        try db.execute(sql: "UPDATE bot_turn SET action = NULL WHERE conversation_id IN (\(conversationList))")
        try db.execute(sql: "UPDATE conversation SET thread_key = 'erased:' || id WHERE id IN (\(conversationList))")
        try db.execute(sql: "UPDATE ticket SET subject = ? WHERE customer_id IN (\(list))", arguments: [marker])
        try db.execute(
            sql: "UPDATE merge_proposal SET evidence = ? WHERE customer_low IN (\(list)) OR customer_high IN (\(list))", arguments: [marker]
        )
        try db.execute(
            sql: "UPDATE customer_merge SET evidence = ? WHERE survivor_id IN (\(list)) OR absorbed_id IN (\(list))", arguments: [marker])
        // Web visitors are identities too: their tokens go with them.
        try db.execute(
            sql: """
                DELETE FROM web_visitor WHERE channel_id || ':' || id IN (
                    SELECT value FROM identity WHERE kind = 'web_visitor' AND customer_id IN (\(list)))
                """)
        try db.execute(sql: "DELETE FROM identity WHERE customer_id IN (\(list))")
        let identities = db.changesCount
        try db.execute(sql: "DELETE FROM customer_attribute WHERE customer_id IN (\(list))")
        try db.execute(
            sql: "UPDATE customer SET display_name = NULL, erased_at = ?, updated_at = ? WHERE id IN (\(list))",
            arguments: [StoredDate(now), StoredDate(now)])
        let orders = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shop_order WHERE customer_id IN (\(list))") ?? 0
        let summary = ErasureSummary(
            customer: root, customers: group.count, identities: identities, messages: messages.count, conversations: conversations.count,
            orders: orders)
        try AuditLedger.append(
            AuditEntry(
                at: now, actor: actor, action: "customer.erase", target: "customer:\(root)",
                detail:
                    "\(group.count) customer records, \(identities) identities, \(messages.count) messages\(reason.map { "; reason: \($0)" } ?? "")"
            ),
            in: db)
        return summary
    }
}
