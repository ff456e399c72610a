import Foundation
import GRDB
import HubCore
import Testing

@testable import HubStorage

/// The fast date binding writes exactly what GRDB writes, so SQL comparisons and reads agree.
@Suite struct StoredDateTests {
    @Test func storedDatesMatchGRDBsOwnFormatAndReadBack() throws {
        let dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_700_000_000.123), Date(timeIntervalSince1970: 1_764_633_600.999),
            Date(timeIntervalSince1970: 951_782_400.5),  // 2000-02-29
            Date(timeIntervalSince1970: 4_102_444_799.0009), Date(),
        ]
        for date in dates {
            #expect(StoredDate(date).databaseValue == date.databaseValue, "\(date)")
            let back = try #require(Date.fromDatabaseValue(StoredDate(date).databaseValue))
            #expect(abs(back.timeIntervalSince(date)) < 0.001)
        }
        let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for date in dates {
            #expect(JSONText.timestamp(date) == date.formatted(iso), "the events' dates read like the API's")
        }
    }
}
