import Foundation
import GRDB
package import HubCore

/// The original bytes of mail the hub received: kept in the inbox as they arrived.
///
/// It reads the inbox, where a polled mail is stored under `mid:<Message-ID>`.
package struct MailArchive: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// The raw RFC 5322 message behind an inbound mail message; `nil` for other messages.
    package func original(messageID: MessageID) async throws -> [UInt8]? {
        try await database.writer.read { db in
            try Data.fetchOne(
                db,
                sql: """
                    SELECT i.payload FROM message m
                    JOIN inbox i ON i.channel_id = m.channel_id AND i.dedupe_key = 'mid:' || m.provider_message_id
                    WHERE m.id = ? AND m.direction = 'in' AND i.topic = 'mail'
                    """, arguments: [messageID]
            ).map(Array.init)
        }
    }
}
