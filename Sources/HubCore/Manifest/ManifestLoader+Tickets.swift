/// The manifest's `tickets:` and `sla:` sections.
extension ManifestValidation {
    mutating func ticketSettings(_ node: ConfigNode, into settings: inout TicketSettings, channels: Set<ChannelID>) {
        guard checks.requireMap(node, "tickets") else { return }
        checks.checkKeys(node, "tickets", allowed: ["auto_create", "on_bot_handoff", "fields", "close_after", "survey", "survey_window"])
        if let flag = node["on_bot_handoff"].flatMap({ boolean($0, "tickets.on_bot_handoff") }) { settings.onBotHandoff = flag }
        if let flag = node["survey"].flatMap({ boolean($0, "tickets.survey") }) { settings.survey = flag }
        if let value = node["close_after"].flatMap({ duration($0, "tickets.close_after") }) { settings.closeAfter = value }
        if let value = node["survey_window"].flatMap({ duration($0, "tickets.survey_window") }) { settings.surveyWindow = value }
        if let rulesNode = node["auto_create"] {
            if case .list(let items) = rulesNode.value {
                for (index, item) in items.enumerated() {
                    let path = "tickets.auto_create[\(index)]"
                    guard checks.requireMap(item, path) else { continue }
                    checks.checkKeys(item, path, allowed: ["when"])
                    guard let when = checks.required(item, "when", path), checks.requireMap(when, "\(path).when") else { continue }
                    settings.autoCreate.append(ruleCondition(when, "\(path).when", channels: channels))
                }
            } else {
                checks.report(rulesNode, "tickets.auto_create", "expected a list of { when: … }, found \(rulesNode.shapeName)")
            }
        }
        if let fieldsNode = node["fields"] {
            if case .list(let items) = fieldsNode.value {
                for (index, item) in items.enumerated() {
                    let path = "tickets.fields[\(index)]"
                    guard checks.requireMap(item, path) else { continue }
                    checks.checkKeys(item, path, allowed: ["id", "type", "options", "required"])
                    guard let id = checks.required(item, "id", path).flatMap({ scalar($0, "\(path).id") }) else { continue }
                    if !Self.isIdentifier(id) {
                        checks.report(item["id"], "\(path).id", "use lower-case letters, digits, '-' and '_', found '\(id)'")
                    } else if settings.fields.contains(where: { $0.id == id }) {
                        checks.report(item["id"], "\(path).id", "duplicate field '\(id)'")
                    }
                    var field = TicketField(id: id)
                    if let typeNode = item["type"], let text = scalar(typeNode, "\(path).type") {
                        if let kind = TicketField.Kind(rawValue: text) {
                            field.kind = kind
                        } else {
                            let known = TicketField.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                            checks.report(typeNode, "\(path).type", "unknown field type '\(text)'; expected one of: \(known)")
                        }
                    }
                    if let options = item["options"] { field.options = stringList(options, "\(path).options") ?? [] }
                    if field.kind == .choice && field.options.isEmpty {
                        checks.report(item, "\(path).options", "missing: a choice field lists its options")
                    }
                    if let flag = item["required"].flatMap({ boolean($0, "\(path).required") }) { field.required = flag }
                    settings.fields.append(field)
                }
            } else {
                checks.report(fieldsNode, "tickets.fields", "expected a list of { id, type }, found \(fieldsNode.shapeName)")
            }
        }
    }

    private mutating func ruleCondition(_ node: ConfigNode, _ path: String, channels: Set<ChannelID>) -> TicketRuleCondition {
        checks.checkKeys(node, path, allowed: ["channel", "intent", "type", "has_order"])
        var condition = TicketRuleCondition()
        condition.channels = checkedList(oneOrMany(node["channel"]), "\(path).channel", allowed: channels, what: "channel")
        condition.intents = checkedList(
            oneOrMany(node["intent"]), "\(path).intent", allowed: Set(AssistLabels.intents + [AssistLabels.otherIntent]), what: "intent")
        condition.types = checkedList(
            oneOrMany(node["type"]), "\(path).type", allowed: Set(TicketType.allCases.map(\.rawValue)), what: "ticket type"
        ).compactMap(TicketType.init(rawValue:))
        condition.hasOrder = node["has_order"].flatMap { boolean($0, "\(path).has_order") }
        return condition
    }

    mutating func slaPolicies(_ node: ConfigNode, channels: Set<ChannelID>, teams: Set<String>) -> [SLAPolicy] {
        guard case .list(let items) = node.value else {
            checks.report(node, "sla", "expected a list of policies, found \(node.shapeName)")
            return []
        }
        var policies: [SLAPolicy] = []
        for (index, item) in items.enumerated() {
            let path = "sla[\(index)]"
            guard checks.requireMap(item, path) else { continue }
            checks.checkKeys(
                item, path,
                allowed: ["id", "calendar", "match", "first_response", "next_response", "resolution", "warn_before", "escalate"])
            guard let id = checks.required(item, "id", path).flatMap({ scalar($0, "\(path).id") }) else { continue }
            if policies.contains(where: { $0.id == id }) { checks.report(item["id"], "\(path).id", "duplicate policy id '\(id)'") }
            var policy = SLAPolicy(id: id)
            policy.calendar = item["calendar"].flatMap { scalar($0, "\(path).calendar") }
            for target in SLATarget.allCases {
                guard let valueNode = item[target.rawValue], let value = duration(valueNode, "\(path).\(target.rawValue)") else { continue }
                let seconds = Int(value.components.seconds)
                if seconds < 1 {
                    checks.report(valueNode, "\(path).\(target.rawValue)", "a target is at least 1s of business time")
                    continue
                }
                policy.targets[target] = seconds
            }
            if policy.targets.isEmpty {
                checks.report(item, "\(path)", "a policy sets at least one of first_response, next_response, resolution")
            }
            if let warnNode = item["warn_before"], let text = scalar(warnNode, "\(path).warn_before") {
                if text.hasSuffix("%") {
                    if let share = Double(text.dropLast()), share > 0, share < 100 {
                        policy.warning = .share(share / 100)
                    } else {
                        checks.report(warnNode, "\(path).warn_before", "expected a share between 1% and 99%, found '\(text)'")
                    }
                } else if let lead = Duration(manifestText: text) {
                    policy.warning = .before(seconds: Int(lead.components.seconds))
                } else {
                    checks.report(warnNode, "\(path).warn_before", "expected a lead such as 10m, or a share such as 80%, found '\(text)'")
                }
            }
            if let match = item["match"], checks.requireMap(match, "\(path).match") {
                let matchPath = "\(path).match"
                checks.checkKeys(match, matchPath, allowed: ["priority", "type", "channel", "labels"])
                policy.match.priorities = checkedList(
                    oneOrMany(match["priority"]), "\(matchPath).priority", allowed: Set(ConversationPriority.allCases.map(\.rawValue)),
                    what: "priority"
                ).compactMap(ConversationPriority.init(rawValue:))
                policy.match.types = checkedList(
                    oneOrMany(match["type"]), "\(matchPath).type", allowed: Set(TicketType.allCases.map(\.rawValue)), what: "ticket type"
                ).compactMap(TicketType.init(rawValue:))
                policy.match.channels = checkedList(oneOrMany(match["channel"]), "\(matchPath).channel", allowed: channels, what: "channel")
                if let labels = oneOrMany(match["labels"]) { policy.match.labels = stringList(labels, "\(matchPath).labels") ?? [] }
            }
            if let escalate = item["escalate"], checks.requireMap(escalate, "\(path).escalate") {
                checks.checkKeys(escalate, "\(path).escalate", allowed: ["priority", "team"])
                var escalation = SLAEscalation()
                if let priorityNode = escalate["priority"], let text = scalar(priorityNode, "\(path).escalate.priority") {
                    escalation.priority = ConversationPriority(rawValue: text)
                    if escalation.priority == nil {
                        checks.report(priorityNode, "\(path).escalate.priority", "expected low, normal, high or urgent, found '\(text)'")
                    }
                }
                if let teamNode = escalate["team"], let team = scalar(teamNode, "\(path).escalate.team") {
                    if !teams.contains(team) {
                        checks.report(
                            teamNode, "\(path).escalate.team", "unknown team '\(team)'; declared: \(teams.sorted().joined(separator: ", "))"
                        )
                    }
                    escalation.team = team
                }
                policy.escalation = escalation
            }
            policies.append(policy)
        }
        return policies
    }

    /// Cross-checks once calendars are read: every policy's calendar exists.
    mutating func checkPolicyCalendars(_ manifest: Manifest, root: ConfigNode) {
        guard case .list(let items)? = root["sla"]?.value else { return }
        for (index, item) in items.enumerated() {
            guard let calendarNode = item["calendar"], let name = calendarNode.scalar,
                !manifest.calendars.contains(where: { $0.id == name })
            else { continue }
            let known =
                manifest.calendars.isEmpty
                ? "none is declared under calendars:" : "known: \(manifest.calendars.map(\.id).joined(separator: ", "))"
            checks.report(calendarNode, "sla[\(index)].calendar", "unknown calendar '\(name)'; \(known)")
        }
    }

    /// A scalar written where a list is allowed, read as a one-entry list.
    func oneOrMany(_ node: ConfigNode?) -> ConfigNode? {
        guard let node, node.scalar != nil else { return node }
        return ConfigNode(value: .list([node]), line: node.line, column: node.column)
    }

    mutating func boolean(_ node: ConfigNode, _ path: String) -> Bool? {
        guard let text = scalar(node, path) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            checks.report(node, path, "expected true or false, found '\(text)'")
            return nil
        }
    }
}
