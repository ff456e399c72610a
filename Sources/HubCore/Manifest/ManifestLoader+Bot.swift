import struct Foundation.TimeZone

/// The manifest's `calendars:` section and each channel's `bot:` block.
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
            checks.checkKeys(item, path, allowed: ["id", "time_zone", "weekly", "holidays", "working_days"])
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
                    for day in days { weekly[day] = periods }
                }
            }
            let holidays = item["holidays"].flatMap { dates($0, "\(path).holidays") } ?? []
            let working = item["working_days"].flatMap { dates($0, "\(path).working_days") } ?? []
            if let id {
                calendars.append(
                    BusinessCalendar(id: id, timeZone: zone, weekly: weekly, holidays: Set(holidays), workingDays: Set(working)))
            }
        }
        return calendars
    }

    private mutating func dates(_ node: ConfigNode, _ path: String) -> [String]? {
        guard let texts = stringList(node, path) else { return nil }
        for text in texts where !Self.isDate(text) {
            checks.report(node, path, "expected dates as yyyy-mm-dd, found '\(text)'")
            return nil
        }
        return texts
    }

    static func isDate(_ text: String) -> Bool {
        let pieces = text.split(separator: "-")
        guard pieces.count == 3, pieces[0].count == 4, pieces[1].count == 2, pieces[2].count == 2,
            let month = Int(pieces[1]), let day = Int(pieces[2]), Int(pieces[0]) != nil
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// A channel's `bot:` block.
    mutating func botSettings(_ node: ConfigNode, _ path: String) -> BotSettings? {
        guard checks.requireMap(node, path) else { return nil }
        checks.checkKeys(
            node, path,
            allowed: [
                "enabled", "mode", "calendar", "languages", "max_failed_turns", "greeting", "handoff_intents", "handoff_labels",
                "time_zone",
            ])
        var settings = BotSettings()
        if let flag = node["enabled"], let text = scalar(flag, "\(path).enabled") {
            switch text {
            case "true": settings.enabled = true
            case "false": settings.enabled = false
            default: checks.report(flag, "\(path).enabled", "expected true or false, found '\(text)'")
            }
        }
        if let modeNode = node["mode"], let text = scalar(modeNode, "\(path).mode") {
            if let mode = BotSettings.Mode(rawValue: text) {
                settings.mode = mode
            } else {
                checks.report(modeNode, "\(path).mode", "expected first, after_hours or off, found '\(text)'")
            }
        }
        settings.calendar = node["calendar"].flatMap { scalar($0, "\(path).calendar") }
        if settings.mode == .afterHours && settings.calendar == nil {
            checks.report(node, "\(path).calendar", "missing: mode after_hours needs the calendar whose hours it reads")
        }
        if let list = node["languages"], let languages = stringList(list, "\(path).languages") {
            for language in languages where !["zh", "en"].contains(language) {
                checks.report(list, "\(path).languages", "the bot answers in zh and en, not '\(language)'")
            }
            settings.languages = languages.filter { ["zh", "en"].contains($0) }
        }
        if let turns = node["max_failed_turns"].flatMap({ integer($0, "\(path).max_failed_turns", in: 1...10) }) {
            settings.maxFailedTurns = turns
        }
        settings.greeting = node["greeting"].flatMap { scalar($0, "\(path).greeting") }
        if let list = node["handoff_intents"], let intents = stringList(list, "\(path).handoff_intents") {
            for intent in intents where !(AssistLabels.intents + [AssistLabels.otherIntent]).contains(intent) {
                checks.report(list, "\(path).handoff_intents", "unknown intent '\(intent)'")
            }
            settings.handoffIntents = intents
        }
        if let list = node["handoff_labels"], let labels = stringList(list, "\(path).handoff_labels") { settings.handoffLabels = labels }
        if let zoneNode = node["time_zone"], let zone = scalar(zoneNode, "\(path).time_zone") {
            if TimeZone(identifier: zone) == nil {
                checks.report(zoneNode, "\(path).time_zone", "unknown time zone '\(zone)'")
            } else {
                settings.timeZone = zone
            }
        }
        return settings
    }

    /// Cross-checks once every section is read: calendars named by bots exist, and a bot has assist to read messages with.
    mutating func checkBots(_ manifest: Manifest, root: ConfigNode) {
        guard case .list(let items)? = root["channels"]?.value else { return }
        for (index, item) in items.enumerated() {
            guard let botNode = item["bot"], let channelID = item["id"]?.scalar,
                let bot = manifest.channels.first(where: { $0.id == channelID })?.bot, bot.isOn
            else { continue }
            let path = "channels[\(index)].bot"
            if let name = bot.calendar, !manifest.calendars.contains(where: { $0.id == name }) {
                checks.report(
                    botNode["calendar"] ?? botNode, "\(path).calendar",
                    "unknown calendar '\(name)'; declare it under calendars: (known: \(manifest.calendars.map(\.id).joined(separator: ", ")))"
                )
            }
            if !manifest.assist.enabled {
                checks.report(
                    botNode, "\(path).enabled", "the bot reads assist's intent and tone: enable assist (assist: { enabled: true })")
            }
        }
    }
}
