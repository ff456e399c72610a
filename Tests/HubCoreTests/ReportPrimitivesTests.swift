import Foundation
import HubCore
import Testing

/// Report ranges, local days and histogram percentiles.
@Suite struct ReportPrimitivesTests {
    @Test func percentilesAreTheUpperBoundOfTheirBucket() {
        #expect(DurationBuckets.bucket(seconds: 0) == 0)
        #expect(DurationBuckets.bucket(seconds: 30) == 0)
        #expect(DurationBuckets.bucket(seconds: 31) == 1)
        #expect(DurationBuckets.bucket(seconds: 10_000_000) == DurationBuckets.bounds.count)
        // 10 under 30 s, 10 between 2 and 5 min: the median is in the first bucket, p90 in the fourth.
        let counts = [0: 10, 3: 10]
        #expect(DurationBuckets.percentile(0.5, counts: counts) == 30)
        #expect(DurationBuckets.percentile(0.9, counts: counts) == 300)
        #expect(DurationBuckets.percentile(0.5, counts: [:]) == nil)
    }

    @Test func rangesAreCheckedAndDaysAreLocal() throws {
        let from = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01T00:00Z
        #expect(throws: HubError.self) {
            try ReportRequest(name: .volume, from: from, to: from, grouping: .none, timeZone: TimeZone(identifier: "UTC")!)
        }
        #expect(throws: HubError.self) {
            try ReportRequest(
                name: .volume, from: from.addingTimeInterval(-800 * 86_400), to: from, grouping: .none,
                timeZone: TimeZone(identifier: "UTC")!)
        }
        let shanghai = try ReportRequest(
            name: .volume, from: from, to: from.addingTimeInterval(86_400), grouping: .day, timeZone: TimeZone(identifier: "Asia/Shanghai")!
        )
        #expect(shanghai.hours.count == 24)
        // 2026-12-01T16:00Z is already the 2nd in Shanghai (UTC+8); 15:00Z is still the 1st.
        #expect(shanghai.day(ofHour: shanghai.hours.lowerBound + 16) == "2026-12-02")
        #expect(shanghai.day(ofHour: shanghai.hours.lowerBound + 15) == "2026-12-01")
    }
}
