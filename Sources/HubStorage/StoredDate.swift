import Foundation
import GRDB
import HubCore

/// A date bound in the form GRDB stores dates (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), formatted
/// without `DateFormatter`: GRDB's own conversion goes through ICU and cost a fifteenth of
/// the processing stage, for the half-dozen dates each message writes.
struct StoredDate: DatabaseValueConvertible {
    var date: Date

    init(_ date: Date) {
        self.date = date
    }

    var databaseValue: DatabaseValue {
        JSONText.timestamp(date, separator: " ", zone: "", truncating: false).databaseValue
    }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredDate? {
        Date.fromDatabaseValue(dbValue).map(StoredDate.init)
    }
}
