import Foundation
import GRDB

/// One entry of a customer's timeline: a message, and later orders and shipments.
struct TimelineEventRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "timeline_event"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var customerId: Int64
    var channelId: String
    var kind: String
    var occurredAtMs: Int64
    var conversationId: Int64?
    var messageId: Int64?
    var summary: String

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
