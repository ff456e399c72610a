import Foundation
import HubCore
import Testing

/// A calendar's holidays from a YAML or iCalendar file: days off, 调休 working days, and
/// mistakes named by the file's own lines.
@Suite struct HolidayFileTests {
    func write(_ text: String, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString)-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func yamlListsDaysOffAndWorkedDays() throws {
        let path = try write("holidays: [2026-10-01, 2026-10-02]\nworking_days: [2026-09-27]\n", "cn.yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let contents = try HolidayFile.load(path: path).get()
        #expect(contents.holidays == ["2026-10-01", "2026-10-02"] && contents.workingDays == ["2026-09-27"])
    }

    @Test func anICalendarFeedGivesRangesAndItsMakeUpWorkingDays() throws {
        let ics = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            BEGIN:VEVENT\r
            DTSTART;VALUE=DATE:20261001\r
            DTEND;VALUE=DATE:20261008\r
            SUMMARY:国庆节\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            DTSTART;VALUE=DATE:20260927\r
            SUMMARY:国庆节\r
             补班\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            DTSTART;VALUE=DATE:20261010\r
            CATEGORIES:WORKDAY\r
            SUMMARY:Make-up day\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let path = try write(ics, "cn.ics")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let contents = try HolidayFile.load(path: path).get()
        #expect(contents.holidays == (1...7).map { "2026-10-0\($0)" }, "DTEND is the day after the last one")
        #expect(contents.workingDays == ["2026-09-27", "2026-10-10"], "a folded SUMMARY with 补班, and CATEGORIES:WORKDAY")
    }

    @Test func mistakesAreNamedByTheFilesOwnLines() throws {
        let yaml = try write("holidays:\n  - 2026-10-01\n  - 2026-02-30\nvacations: [2026-01-01]\n", "bad.yaml")
        let ics = try write("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:no date\nEND:VEVENT\nEND:VCALENDAR\n", "bad.ics")
        defer {
            try? FileManager.default.removeItem(atPath: yaml)
            try? FileManager.default.removeItem(atPath: ics)
        }
        guard case .failure(let report) = HolidayFile.load(path: yaml) else {
            Issue.record("a bad YAML file must be refused")
            return
        }
        #expect(report.problems.map(\.line) == [3, 4] && report.problems.allSatisfy { $0.file == yaml })
        #expect(report.problems[0].message.contains("2026-02-30"))
        guard case .failure(let icsReport) = HolidayFile.load(path: ics) else {
            Issue.record("an event without a date must be refused")
            return
        }
        #expect(icsReport.problems.first?.line == 2 && icsReport.problems.first?.keyPath == "DTSTART")
        #expect(BusinessCalendar.isDay("2028-02-29") && !BusinessCalendar.isDay("2026-02-29") && !BusinessCalendar.isDay("2026-1-01"))
    }
}
