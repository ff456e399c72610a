import Foundation
import GRDB

/// One identifier of a customer, with where and when it was seen.
struct IdentityRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "identity"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var customerId: Int64
    var kind: String
    var value: String
    var channelId: String
    var verified: Bool
    var firstSeen: Date
    var lastSeen: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
