import Foundation
import GRDB

/// A person the hub knows, whatever channels they used.
struct CustomerRecord: SnakeCaseRecord, Sendable, MutablePersistableRecord {
    static let databaseTableName = "customer"

    var id: Int64?
    var displayName: String?
    var createdAt: Date
    var updatedAt: Date
    var erasedAt: Date? = nil

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
