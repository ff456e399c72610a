import Foundation
import HubCore
import Testing

/// Opening hours for the bot's after-hours mode: split shifts, holidays, worked weekends (调休),
/// and whether a bot takes a conversation at a given time.
@Suite struct BusinessCalendarTests {
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    let office = BusinessCalendar(
        id: "cn-office", timeZone: "Asia/Shanghai",
        weekly: [
            1: [.init(start: 540, end: 720), .init(start: 810, end: 1080)], 2: [.init(start: 540, end: 720), .init(start: 810, end: 1080)],
            6: [.init(start: 600, end: 960)],
        ], holidays: ["2026-10-01"], workingDays: ["2026-09-27"])

    @Test func splitShiftsHolidaysAndWorkedWeekends() {
        #expect(office.isOpen(at: Self.at("2026-09-28T01:30:00Z")), "Monday 09:30 in Shanghai")
        #expect(!office.isOpen(at: Self.at("2026-09-28T04:30:00Z")), "Monday 12:30: lunch between the shifts")
        #expect(office.isOpen(at: Self.at("2026-09-28T05:30:00Z")), "Monday 13:30: the second shift")
        #expect(!office.isOpen(at: Self.at("2026-09-28T10:00:00Z")), "Monday 18:00 ends the day")
        #expect(office.isOpen(at: Self.at("2026-09-27T02:00:00Z")), "Sunday 27 September is a 调休 working day")
        #expect(!office.isOpen(at: Self.at("2026-10-04T02:00:00Z")), "an ordinary Sunday")
        #expect(!office.isOpen(at: Self.at("2026-10-01T02:00:00Z")), "a holiday")
        let bot = BotSettings(mode: .afterHours, calendar: "cn-office")
        #expect(!bot.takes(at: Self.at("2026-09-28T01:30:00Z"), calendar: office))
        #expect(bot.takes(at: Self.at("2026-09-28T12:00:00Z"), calendar: office))
        #expect(BotSettings(mode: .first).takes(at: Self.at("2026-09-28T01:30:00Z"), calendar: nil))
        #expect(!BotSettings(enabled: false).takes(at: Self.at("2026-09-28T01:30:00Z"), calendar: nil))
        #expect(BusinessCalendar.days("mon-fri") == [1, 2, 3, 4, 5] && BusinessCalendar.days("sun") == [7])
        #expect(BusinessCalendar.days("fri-mon") == nil && BusinessCalendar.period("13:30-24:00")?.end == 1440)
        #expect(BusinessCalendar.period("18:00-09:00") == nil)
    }
}
