import Foundation
import HubCore
import Testing

/// Business time on a calendar: split shifts, weekends, holidays, 调休, boundaries and a
/// daylight-saving change (the SLA clocks' arithmetic; the tickets issue checks it against a
/// reference implementation at scale).
@Suite struct BusinessTimeTests {
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    let office = BusinessCalendar(
        id: "cn", timeZone: "Asia/Shanghai",
        weekly: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [.init(start: 540, end: 720), .init(start: 810, end: 1080)]) }),
        holidays: ["2026-10-01"], workingDays: ["2026-09-27"])

    @Test func openingTimeBetweenTwoInstants() {
        // Friday 25 September 2026, 17:00 Shanghai, to Monday 28th 10:00: Friday's last hour, the
        // 调休 Sunday's 7.5 hours, Monday's first hour.
        let seconds = office.businessSeconds(from: Self.at("2026-09-25T09:00:00Z"), to: Self.at("2026-09-28T02:00:00Z"))
        let expected: TimeInterval = 9.5 * 3600
        #expect(seconds == expected)
        #expect(office.businessSeconds(from: Self.at("2026-09-28T04:00:00Z"), to: Self.at("2026-09-28T05:30:00Z")) == 0, "lunch")
        #expect(office.businessSeconds(from: Self.at("2026-09-28T05:30:00Z"), to: Self.at("2026-09-28T04:00:00Z")) == 0)
    }

    @Test func aDueTimeSkipsLunchNightsWeekendsAndHolidays() {
        // 30 minutes from Monday 11:45: 15 before lunch, 15 after it.
        #expect(office.adding(1_800, to: Self.at("2026-09-28T03:45:00Z")) == Self.at("2026-09-28T05:45:00Z"))
        // Exactly to the end of a period stays at that end.
        #expect(office.adding(900, to: Self.at("2026-09-28T03:45:00Z")) == Self.at("2026-09-28T04:00:00Z"))
        // Started at night: the clock begins at the next opening.
        #expect(office.adding(3_600, to: Self.at("2026-09-28T15:00:00Z")) == Self.at("2026-09-29T02:00:00Z"))
        // Wednesday 30 September 17:30 + 1 h: the holiday (1 October) is skipped; Friday 2nd opens at 09:00.
        #expect(office.adding(3_600, to: Self.at("2026-09-30T09:30:00Z")) == Self.at("2026-10-02T01:30:00Z"))
        // Zero takes a closed start to the next opening.
        #expect(office.adding(0, to: Self.at("2026-10-03T02:00:00Z")) == Self.at("2026-10-05T01:00:00Z"))
        let closed = BusinessCalendar(id: "never", timeZone: "UTC", weekly: [:])
        #expect(closed.adding(60, to: Self.at("2026-09-28T03:45:00Z")) == nil)
    }

    @Test func periodsKeepTheirWallClockAcrossDaylightSaving() {
        let newYork = BusinessCalendar(
            id: "us", timeZone: "America/New_York",
            weekly: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [.init(start: 0, end: 1440)]) }))
        // 8 March 2026 has 23 hours in New York: a day open around the clock has 23 hours of opening time.
        #expect(newYork.businessSeconds(from: Self.at("2026-03-08T05:00:00Z"), to: Self.at("2026-03-09T04:00:00Z")) == 23 * 3600)
        let morning = BusinessCalendar(
            id: "us9", timeZone: "America/New_York",
            weekly: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [.init(start: 540, end: 1020)]) }))
        // Saturday 7 March 17:00 EST (22:00Z) + 1 h of business time: Sunday 09:00 EDT = 13:00Z.
        #expect(morning.adding(3_600, to: Self.at("2026-03-07T22:00:00Z")) == Self.at("2026-03-08T14:00:00Z"))
    }
}
