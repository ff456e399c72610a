import struct Foundation.TimeZone

/// Each channel's `bot:` block.
extension ManifestValidation {
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
