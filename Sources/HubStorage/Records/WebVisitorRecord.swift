import Foundation
import GRDB

/// A web chat visitor and the token that resumes their conversation.
struct WebVisitorRecord: SnakeCaseRecord, Sendable, PersistableRecord {
    static let databaseTableName = "web_visitor"

    /// The columns the query interface filters on, as the table names them.
    enum Columns {
        static let id = Column("id")
        static let channelId = Column("channel_id")
    }

    var id: String
    var channelId: String
    var token: String
    var createdAt: Date
}

extension DerivableRequest<WebVisitorRecord> {
    /// The visitor `id` of one web chat channel; the same id on another channel is another visitor.
    func visitor(_ id: String, channel channelID: String) -> Self {
        filter(WebVisitorRecord.Columns.id == id && WebVisitorRecord.Columns.channelId == channelID)
    }
}
