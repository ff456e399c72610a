import Foundation
import GRDB

/// A web chat visitor and the token that resumes their conversation.
struct WebVisitorRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "web_visitor"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: String
    var channelId: String
    var token: String
    var createdAt: Date
}
