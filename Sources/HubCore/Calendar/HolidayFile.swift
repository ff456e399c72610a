import Foundation

/// A calendar's `holidays_file:`: dates off and worked weekend days (调休), kept apart from the
/// manifest so that a year's official list can be dropped in. Two formats:
/// - YAML: `holidays: [2026-10-01, …]` and `working_days: [2026-09-27, …]`;
/// - iCalendar (`.ics`): every all-day `VEVENT` is days off, from `DTSTART` up to the day before
///   `DTEND` (one day without it), unless its `SUMMARY` says 补班 or 上班, or its `CATEGORIES`
///   say `WORKDAY`: those are worked days.
package enum HolidayFile {
    package struct Contents: Sendable, Hashable {
        package var holidays: [String] = []
        package var workingDays: [String] = []
    }

    /// The file's days, or its problems with the file's own name and lines.
    package static func load(path: String) -> Result<Contents, ManifestReport> {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(report(path, 1, "", "cannot read the holidays file"))
        }
        return path.lowercased().hasSuffix(".ics") ? parseICS(text, file: path) : parseYAML(text, file: path)
    }

    static func report(_ file: String, _ line: Int, _ key: String, _ message: String) -> ManifestReport {
        ManifestReport(problems: [ManifestProblem(file: file, line: line, column: 1, keyPath: key, message: message)])
    }

    static func parseYAML(_ text: String, file: String) -> Result<Contents, ManifestReport> {
        let root: ConfigNode?
        do {
            root = try ConfigNode.parse(yaml: text)
        } catch {
            return .failure(ManifestReport(problems: [ManifestProblem(file: file, line: 1, column: 1, keyPath: "", message: "\(error)")]))
        }
        guard let root, case .map(let entries) = root.value else {
            return .failure(report(file, 1, "", "expected a map with holidays and working_days"))
        }
        var contents = Contents()
        var problems: [ManifestProblem] = []
        for entry in entries {
            guard entry.key == "holidays" || entry.key == "working_days" else {
                problems.append(
                    ManifestProblem(
                        file: file, line: entry.keyLine, column: 1, keyPath: entry.key,
                        message: "unknown key; expected holidays or working_days"))
                continue
            }
            guard case .list(let items) = entry.value.value else {
                problems.append(
                    ManifestProblem(file: file, line: entry.keyLine, column: 1, keyPath: entry.key, message: "expected a list of dates"))
                continue
            }
            for item in items {
                guard let day = item.scalar, BusinessCalendar.isDay(day) else {
                    problems.append(
                        ManifestProblem(
                            file: file, line: item.line, column: item.column, keyPath: entry.key,
                            message: "expected a date as yyyy-mm-dd, found '\(item.scalar ?? item.shapeName)'"))
                    continue
                }
                if entry.key == "holidays" { contents.holidays.append(day) } else { contents.workingDays.append(day) }
            }
        }
        return problems.isEmpty ? .success(contents) : .failure(ManifestReport(problems: problems))
    }

    static func parseICS(_ text: String, file: String) -> Result<Contents, ManifestReport> {
        var contents = Contents()
        var problems: [ManifestProblem] = []
        var event: (line: Int, start: String?, end: String?, summary: String, categories: String)?
        // Folded lines (a leading space continues the previous one) are unfolded first.
        var lines: [(number: Int, text: String)] = []
        // By scalars: "\r\n" is one Character in Swift, so a split by Characters would never find "\n".
        for (index, scalars) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(String.UnicodeScalarView(scalars))
            if line.unicodeScalars.last == "\r" { line.unicodeScalars.removeLast() }
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !lines.isEmpty {
                lines[lines.count - 1].text += line.dropFirst()
            } else {
                lines.append((index + 1, line))
            }
        }
        for (number, line) in lines {
            let name = line.prefix { $0 != ":" && $0 != ";" }.uppercased()
            let value = line.firstIndex(of: ":").map { String(line[line.index(after: $0)...]) } ?? ""
            switch name {
            case "BEGIN" where value.uppercased() == "VEVENT":
                event = (number, nil, nil, "", "")
            case "DTSTART": event?.start = value
            case "DTEND": event?.end = value
            case "SUMMARY": event?.summary = value
            case "CATEGORIES": event?.categories = value.uppercased()
            case "END" where value.uppercased() == "VEVENT":
                guard let current = event else { continue }
                event = nil
                guard let first = current.start.flatMap(day(fromICS:)) else {
                    problems.append(
                        ManifestProblem(
                            file: file, line: current.line, column: 1, keyPath: "DTSTART",
                            message: "an event needs an all-day DTSTART such as DTSTART;VALUE=DATE:20261001"))
                    continue
                }
                let last = current.end.flatMap(day(fromICS:)).flatMap { dayBefore($0) } ?? first
                let worked = current.summary.contains("补班") || current.summary.contains("上班") || current.categories.contains("WORKDAY")
                for day in days(from: first, through: last) {
                    if worked { contents.workingDays.append(day) } else { contents.holidays.append(day) }
                }
            default: continue
            }
        }
        return problems.isEmpty ? .success(contents) : .failure(ManifestReport(problems: problems))
    }

    /// `20261001` (or `20261001T000000`) as `2026-10-01`.
    static func day(fromICS value: String) -> String? {
        let digits = value.prefix(8)
        guard digits.count == 8, digits.allSatisfy(\.isNumber) else { return nil }
        let text = "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))"
        return BusinessCalendar.isDay(text) ? text : nil
    }

    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    static func date(_ day: String) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return utc.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    static func text(_ date: Date) -> String {
        let parts = utc.dateComponents([.year, .month, .day], from: date)
        return BusinessCalendar.dayKey(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0)
    }

    static func dayBefore(_ day: String) -> String? {
        date(day).flatMap { utc.date(byAdding: .day, value: -1, to: $0) }.map(text)
    }

    /// Every day from `first` through `last` (at most a year's worth).
    static func days(from first: String, through last: String) -> [String] {
        guard var current = date(first), let end = date(last) else { return [first] }
        var result: [String] = []
        while current <= end && result.count < 366 {
            result.append(text(current))
            guard let next = utc.date(byAdding: .day, value: 1, to: current) else { break }
            current = next
        }
        return result.isEmpty ? [first] : result
    }
}
