import Foundation
import GRDB

/// A thread of messages with one customer on one channel.
struct ConversationRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "conversation"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var customerId: Int64
    var channelId: String
    var threadKey: String
    var status: String
    var createdAt: Date
    var lastMessageAt: Date
    var subject: String?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
