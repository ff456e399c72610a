package import Foundation

/// Business-time arithmetic on a calendar, for SLA clocks: how much opening time lies between
/// two instants, and when a given amount of it has passed. Days are read in the calendar's time
/// zone, so a period keeps its wall-clock hours across a daylight-saving change (the day then
/// has an hour more or less of wall time, not of opening time).
extension BusinessCalendar {
    /// The longest stretch searched for opening hours; a calendar open less than once in it has none.
    static let searchLimitDays = 3_700

    /// The opening intervals of the local day that contains `day`, as absolute instants.
    func intervals(onDayOf day: Date, calendar: Calendar) -> [DateInterval] {
        let start = calendar.startOfDay(for: day)
        let parts = calendar.dateComponents([.year, .month, .day], from: start)
        return periods(on: start, calendar: calendar).compactMap { period in
            guard let from = instant(parts, minute: period.start, calendar: calendar),
                let to = instant(parts, minute: period.end, calendar: calendar), from < to
            else { return nil }
            return DateInterval(start: from, end: to)
        }
    }

    /// The instant `minute` minutes into the local day `parts` (1440 is the next midnight).
    func instant(_ parts: DateComponents, minute: Int, calendar: Calendar) -> Date? {
        var components = parts
        if minute >= 1_440 {
            guard let day = calendar.date(from: parts), let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            return next
        }
        components.hour = minute / 60
        components.minute = minute % 60
        components.second = 0
        return calendar.date(from: components)
    }

    /// Seconds of opening time in `[from, to)`; 0 when `to` is not after `from`.
    package func businessSeconds(from: Date, to: Date) -> TimeInterval {
        BusinessDays(self).businessSeconds(from: from, to: to)
    }

    /// The instant at which `seconds` of opening time have passed since `start`: a clock started
    /// outside the hours begins at the next opening, and a due time that falls exactly on the end
    /// of a period is that end. `nil` when the calendar has no opening hours within ten years.
    package func adding(_ seconds: TimeInterval, to start: Date) -> Date? {
        BusinessDays(self).adding(seconds, to: start)
    }
}

/// A calendar's days as opening intervals, each day worked out once: the arithmetic of
/// ``BusinessCalendar`` for a batch of clocks on one calendar (Foundation's date math dominates
/// otherwise). Not shared across tasks: one batch, one transaction.
package final class BusinessDays {
    let calendar: BusinessCalendar
    let foundation: Calendar
    private var days: [Date: (intervals: [DateInterval], next: Date?)] = [:]

    package init(_ calendar: BusinessCalendar) {
        self.calendar = calendar
        self.foundation = calendar.calendar
    }

    /// The local day starting at `start`: its opening intervals and the next day's start.
    func day(_ start: Date) -> (intervals: [DateInterval], next: Date?) {
        if let known = days[start] { return known }
        let entry = (calendar.intervals(onDayOf: start, calendar: foundation), foundation.date(byAdding: .day, value: 1, to: start))
        days[start] = entry
        return entry
    }

    package func businessSeconds(from: Date, to: Date) -> TimeInterval {
        guard to > from else { return 0 }
        var total: TimeInterval = 0
        var current: Date? = foundation.startOfDay(for: from)
        var guardDays = 0
        while let day = current, day < to, guardDays <= BusinessCalendar.searchLimitDays {
            let entry = self.day(day)
            for interval in entry.intervals {
                let start = max(interval.start, from)
                let end = min(interval.end, to)
                if end > start { total += end.timeIntervalSince(start) }
            }
            current = entry.next
            guardDays += 1
        }
        return total
    }

    package func adding(_ seconds: TimeInterval, to start: Date) -> Date? {
        var left = max(0, seconds)
        var current: Date? = foundation.startOfDay(for: start)
        for _ in 0...BusinessCalendar.searchLimitDays {
            guard let day = current else { return nil }
            let entry = self.day(day)
            for interval in entry.intervals where interval.end > start {
                let from = max(interval.start, start)
                let available = interval.end.timeIntervalSince(from)
                if left <= available { return from.addingTimeInterval(left) }
                left -= available
            }
            current = entry.next
        }
        return nil
    }
}
