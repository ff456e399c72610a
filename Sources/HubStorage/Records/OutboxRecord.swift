import Foundation
import GRDB

/// A message waiting to be, or given up on being, delivered by its channel.
struct OutboxRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outbox"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var messageId: Int64
    var channelId: String
    var state: String
    var attempts: Int
    var nextAttemptAt: Date
    var lastError: String?
    var idempotencyKey: String
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
