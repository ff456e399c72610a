package import Foundation

/// Opening hours in a time zone: weekly periods (split shifts allowed), public holidays, and
/// the weekend days that are worked instead (调休). The bot's `after_hours` mode reads it; SLA
/// clocks count business time in it.
package struct BusinessCalendar: Sendable, Hashable {
    /// One opening period of a day, in minutes after midnight (`24:00` is 1440).
    package struct Period: Sendable, Hashable {
        package var start: Int
        package var end: Int

        package init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    package var id: String
    package var timeZone: String
    /// Periods per weekday, 1 = Monday … 7 = Sunday.
    package var weekly: [Int: [Period]]
    /// Dates (`yyyy-MM-dd`) that are closed whatever the weekday.
    package var holidays: Set<String>
    /// Dates (`yyyy-MM-dd`) that are worked although their weekday is not; they keep Monday's hours
    /// (or, with none, the first weekday that has hours).
    package var workingDays: Set<String>

    package init(id: String, timeZone: String, weekly: [Int: [Period]], holidays: Set<String> = [], workingDays: Set<String> = []) {
        self.id = id
        self.timeZone = timeZone
        self.weekly = weekly
        self.holidays = holidays
        self.workingDays = workingDays
    }

    /// The day names a `weekly:` key may use, Monday first.
    package static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }

    /// The opening periods of the local day containing `date`, after holidays and worked weekends.
    package func periods(on date: Date) -> [Period] {
        periods(on: date, calendar: calendar)
    }

    /// ``periods(on:)`` with the calendar already made (a loop over days makes it once).
    func periods(on date: Date, calendar: Calendar) -> [Period] {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        let key = Self.dayKey(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0)
        if holidays.contains(key) { return [] }
        // Foundation counts Sunday as 1; ours is Monday = 1.
        let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1
        if let periods = weekly[weekday], !periods.isEmpty { return periods }
        if workingDays.contains(key) {
            return weekly[1] ?? (1...7).lazy.compactMap { weekly[$0] }.first { !$0.isEmpty } ?? []
        }
        return []
    }

    /// Whether the calendar is open at `date`.
    package func isOpen(at date: Date) -> Bool {
        let calendar = calendar
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return periods(on: date, calendar: calendar).contains { $0.start <= minute && minute < $0.end }
    }

    /// Whether `text` is a calendar date written `yyyy-mm-dd`.
    package static func isDay(_ text: String) -> Bool {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].count == 4, pieces[1].count == 2, pieces[2].count == 2,
            let year = Int(pieces[0]), let month = Int(pieces[1]), let day = Int(pieces[2]), (1...12).contains(month)
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let days = calendar.range(of: .day, in: .month, for: calendar.date(from: DateComponents(year: year, month: month, day: 1))!)
        return days?.contains(day) ?? false
    }

    static func dayKey(year: Int, month: Int, day: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// `09:00-12:00` as a period; `nil` when malformed or empty.
    package static func period(_ text: String) -> Period? {
        let halves = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard halves.count == 2, let start = minutes(halves[0]), let end = minutes(halves[1]), start < end else { return nil }
        return Period(start: start, end: end)
    }

    static func minutes(_ text: String) -> Int? {
        let pieces = text.split(separator: ":")
        guard pieces.count == 2, pieces[1].count == 2, let hour = Int(pieces[0]), let minute = Int(pieces[1]), (0...59).contains(minute)
        else { return nil }
        let total = hour * 60 + minute
        return (0...1440).contains(total) ? total : nil
    }

    /// The weekdays (1…7) a `weekly:` key names: `mon`, or a range `mon-fri`.
    package static func days(_ key: String) -> [Int]? {
        let ends = key.lowercased().split(separator: "-").map(String.init)
        guard let first = ends.first.flatMap({ dayNames.firstIndex(of: $0) }) else { return nil }
        guard ends.count == 2 else { return ends.count == 1 ? [first + 1] : nil }
        guard let last = dayNames.firstIndex(of: ends[1]), last >= first else { return nil }
        return Array((first + 1)...(last + 1))
    }
}
