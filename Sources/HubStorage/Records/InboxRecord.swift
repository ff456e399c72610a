import Foundation
import GRDB

/// A raw inbound payload, stored before the provider is acknowledged.
public struct InboxRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "inbox"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Processing state of an inbox entry.
    public enum State: String, Codable, Sendable, CaseIterable {
        case pending, processing, processed, failed
    }

    public var id: Int64?
    public var channelId: String
    public var dedupeKey: String
    public var contentType: String?
    public var topic: String?
    public var payload: Data
    public var receivedAt: Date
    public var state: State
    public var attempts: Int
    public var lastError: String?
    public var result: String?
    public var processedAt: Date?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
