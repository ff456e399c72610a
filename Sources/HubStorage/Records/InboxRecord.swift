package import Foundation
package import GRDB

/// A raw inbound payload, stored before the provider is acknowledged.
package struct InboxRecord: SnakeCaseRecord, Sendable, MutablePersistableRecord {
    package static let databaseTableName = "inbox"

    /// Processing state of an inbox entry.
    package enum State: String, Codable, Sendable, CaseIterable {
        case pending, processing, processed, failed
    }

    package var id: Int64?
    package var channelId: String
    package var dedupeKey: String
    package var contentType: String?
    package var topic: String?
    package var payload: Data
    package var receivedAt: Date
    package var state: State
    package var attempts: Int
    package var lastError: String?
    package var result: String?
    package var processedAt: Date?

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
