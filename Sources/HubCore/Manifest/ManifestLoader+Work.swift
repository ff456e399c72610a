/// The manifest's `teams:`, `routing:` and the integration tokens' `scopes:`.
extension ManifestValidation {
    mutating func teams(_ node: ConfigNode) -> [Team] {
        guard case .list(let items) = node.value else {
            checks.report(node, "teams", "expected a list of { id, name }, found \(node.shapeName)")
            return []
        }
        var teams: [Team] = []
        for (index, item) in items.enumerated() {
            let path = "teams[\(index)]"
            guard checks.requireMap(item, path) else { continue }
            checks.checkKeys(item, path, allowed: ["id", "name"])
            guard let id = checks.required(item, "id", path).flatMap({ scalar($0, "\(path).id") }) else { continue }
            if !Self.isIdentifier(id) {
                checks.report(item["id"], "\(path).id", "use lower-case letters, digits, '-' and '_', found '\(id)'")
            } else if teams.contains(where: { $0.id == id }) {
                checks.report(item["id"], "\(path).id", "duplicate team id '\(id)'")
            }
            let name = item["name"].flatMap { scalar($0, "\(path).name") } ?? id
            teams.append(Team(id: id, name: name))
        }
        return teams
    }

    mutating func routingSettings(_ node: ConfigNode, into settings: inout RoutingSettings, channels: Set<ChannelID>) {
        guard checks.requireMap(node, "routing") else { return }
        checks.checkKeys(node, "routing", allowed: ["queues", "reopen_window", "presence_grace", "wait_messages"])
        if let value = node["reopen_window"].flatMap({ duration($0, "routing.reopen_window") }) { settings.reopenWindow = value }
        if let value = node["presence_grace"].flatMap({ duration($0, "routing.presence_grace") }) { settings.presenceGrace = value }
        if let flag = node["wait_messages"], let text = scalar(flag, "routing.wait_messages") {
            switch text {
            case "true": settings.waitMessages = true
            case "false": settings.waitMessages = false
            default: checks.report(flag, "routing.wait_messages", "expected true or false, found '\(text)'")
            }
        }
        guard let queuesNode = node["queues"] else { return }
        guard case .list(let items) = queuesNode.value else {
            checks.report(queuesNode, "routing.queues", "expected a list of queues, found \(queuesNode.shapeName)")
            return
        }
        let teamIDs = Set(settings.teams.map(\.id))
        for (index, item) in items.enumerated() {
            let path = "routing.queues[\(index)]"
            guard checks.requireMap(item, path) else { continue }
            checks.checkKeys(item, path, allowed: ["id", "team", "match", "priority", "policy", "answer_within"])
            guard let id = checks.required(item, "id", path).flatMap({ scalar($0, "\(path).id") }) else { continue }
            if !Self.isIdentifier(id) {
                checks.report(item["id"], "\(path).id", "use lower-case letters, digits, '-' and '_', found '\(id)'")
            } else if settings.queues.contains(where: { $0.id == id }) {
                checks.report(item["id"], "\(path).id", "duplicate queue id '\(id)'")
            }
            var queue = QueueConfig(id: id)
            if let teamNode = item["team"], let team = scalar(teamNode, "\(path).team") {
                if !teamIDs.contains(team) {
                    let known = teamIDs.isEmpty ? "none is declared under teams:" : "declared: \(teamIDs.sorted().joined(separator: ", "))"
                    checks.report(teamNode, "\(path).team", "unknown team '\(team)'; \(known)")
                }
                queue.team = team
            }
            if let value = item["priority"].flatMap({ integer($0, "\(path).priority", in: -1000...1000) }) { queue.priority = value }
            if let policyNode = item["policy"], let text = scalar(policyNode, "\(path).policy") {
                if let policy = RoutingPolicy(rawValue: text) {
                    queue.policy = policy
                } else {
                    let known = RoutingPolicy.allCases.map(\.rawValue).joined(separator: ", ")
                    checks.report(policyNode, "\(path).policy", "unknown policy '\(text)'; expected one of: \(known)")
                }
            }
            if let value = item["answer_within"].flatMap({ duration($0, "\(path).answer_within") }) {
                if value < .seconds(5) {
                    checks.report(item["answer_within"], "\(path).answer_within", "at least 5s: an agent needs time to see the offer")
                }
                queue.answerWithin = value
            }
            if let match = item["match"] { queue.match = queueMatch(match, path: "\(path).match", channels: channels) }
            settings.queues.append(queue)
        }
    }

    mutating func queueMatch(_ node: ConfigNode, path: String, channels: Set<ChannelID>) -> QueueMatch {
        var match = QueueMatch()
        guard checks.requireMap(node, path) else { return match }
        checks.checkKeys(node, path, allowed: ["channels", "languages", "labels", "intents"])
        match.channels = checkedList(node["channels"], "\(path).channels", allowed: channels, what: "channel")
        match.languages = checkedList(node["languages"], "\(path).languages", allowed: Set(RoutingSettings.languages), what: "language")
        match.intents = checkedList(node["intents"], "\(path).intents", allowed: Set(RoutingSettings.intents), what: "intent")
        if let labels = node["labels"] { match.labels = stringList(labels, "\(path).labels") ?? [] }
        return match
    }

    /// A list whose every entry must be one of `allowed`; each stranger is reported at its own line.
    mutating func checkedList(_ node: ConfigNode?, _ path: String, allowed: Set<String>, what: String) -> [String] {
        guard let node, let values = stringList(node, path) else { return [] }
        guard case .list(let items) = node.value else { return values }
        for (index, value) in values.enumerated() where !allowed.contains(value) {
            let known = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
            checks.report(items[index], "\(path)[\(index)]", "unknown \(what) '\(value)'; known: \(known)")
        }
        return values
    }

    /// `scopes:` of an integration token: permission names.
    mutating func permissions(_ node: ConfigNode, _ path: String) -> Set<Permission> {
        let names = checkedList(node, path, allowed: Set(Permission.allCases.map(\.rawValue)), what: "permission")
        return Set(names.compactMap(Permission.init(rawValue:)))
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }
}
