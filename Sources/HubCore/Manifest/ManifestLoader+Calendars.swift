import struct Foundation.TimeZone

/// The manifest's `calendars:` section: opening hours read by the bot's `after_hours` mode and,
/// later, by SLA clocks.
extension ManifestValidation {
    mutating func calendars(_ node: ConfigNode) -> [BusinessCalendar] {
        guard case .list(let items) = node.value else {
            checks.report(node, "calendars", "expected a list of calendars, found \(node.shapeName)")
            return []
        }
        var calendars: [BusinessCalendar] = []
        for (index, item) in items.enumerated() {
            let path = "calendars[\(index)]"
            guard checks.requireMap(item, path) else { continue }
            checks.checkKeys(item, path, allowed: ["id", "time_zone", "weekly", "holidays", "working_days", "holidays_file"])
            let id = checks.required(item, "id", path).flatMap { scalar($0, "\(path).id") }
            if let id, calendars.contains(where: { $0.id == id }) {
                checks.report(item["id"], "\(path).id", "duplicate calendar id '\(id)'")
            }
            var zone = "UTC"
            if let zoneNode = item["time_zone"], let text = scalar(zoneNode, "\(path).time_zone") {
                if TimeZone(identifier: text) == nil {
                    checks.report(zoneNode, "\(path).time_zone", "unknown time zone '\(text)'; use an IANA name such as Asia/Shanghai")
                } else {
                    zone = text
                }
            }
            var weekly: [Int: [BusinessCalendar.Period]] = [:]
            var declaredAt: [Int: String] = [:]
            if let weeklyNode = checks.required(item, "weekly", path), checks.requireMap(weeklyNode, "\(path).weekly"),
                case .map(let entries) = weeklyNode.value
            {
                for entry in entries {
                    let keyPath = "\(path).weekly.\(entry.key)"
                    guard let days = BusinessCalendar.days(entry.key) else {
                        checks.report(entry.value, line: entry.keyLine, keyPath, "expected a day (mon … sun) or a range such as mon-fri")
                        continue
                    }
                    guard let texts = stringList(entry.value, keyPath) else { continue }
                    var periods: [BusinessCalendar.Period] = []
                    for text in texts {
                        guard let period = BusinessCalendar.period(text) else {
                            checks.report(entry.value, keyPath, "expected a period such as 09:00-12:00 (24:00 ends a day), found '\(text)'")
                            continue
                        }
                        periods.append(period)
                    }
                    periods.sort { $0.start < $1.start }
                    for (earlier, later) in zip(periods, periods.dropFirst()) where later.start < earlier.end {
                        checks.report(entry.value, keyPath, "the periods overlap: one ends after the next one starts")
                    }
                    for day in days {
                        if let first = declaredAt[day] {
                            checks.report(
                                entry.value, line: entry.keyLine, keyPath,
                                "\(BusinessCalendar.dayNames[day - 1]) is already declared by \(first); say each day once")
                        }
                        declaredAt[day] = entry.key
                        weekly[day] = periods
                    }
                }
            }
            var holidays = item["holidays"].flatMap { dates($0, "\(path).holidays") } ?? []
            var working = item["working_days"].flatMap { dates($0, "\(path).working_days") } ?? []
            if let fileNode = item["holidays_file"], let written = scalar(fileNode, "\(path).holidays_file"),
                let found = resolveFile(written, what: "holidays file", node: fileNode, path: "\(path).holidays_file")
            {
                switch HolidayFile.load(path: found) {
                case .success(let contents):
                    holidays += contents.holidays
                    working += contents.workingDays
                case .failure(let report):
                    checks.record(contentsOf: report)
                }
            }
            if let id {
                calendars.append(
                    BusinessCalendar(id: id, timeZone: zone, weekly: weekly, holidays: Set(holidays), workingDays: Set(working)))
            }
        }
        return calendars
    }

    private mutating func dates(_ node: ConfigNode, _ path: String) -> [String]? {
        guard let texts = stringList(node, path) else { return nil }
        for text in texts where !BusinessCalendar.isDay(text) {
            checks.report(node, path, "expected dates as yyyy-mm-dd, found '\(text)'")
            return nil
        }
        return texts
    }
}
