/// The manifest's `audit:` and `limits:` sections.
extension ManifestValidation {
    mutating func auditSettings(_ node: ConfigNode) -> AuditSettings {
        var settings = AuditSettings()
        guard checks.requireMap(node, "audit") else { return settings }
        checks.checkKeys(node, "audit", allowed: ["retention"])
        if let retentionNode = node["retention"], let value = duration(retentionNode, "audit.retention") {
            if value < AuditSettings.minimumRetention {
                checks.report(retentionNode, "audit.retention", "the audit trail is kept at least 180 days (180d)")
            } else {
                settings.retention = value
            }
        }
        return settings
    }

    mutating func limitSettings(_ node: ConfigNode) -> LimitSettings {
        var settings = LimitSettings()
        guard checks.requireMap(node, "limits") else { return settings }
        checks.checkKeys(
            node, "limits",
            allowed: [
                "api", "hooks", "chat", "login", "connections_per_address", "header_timeout", "idle_timeout", "overload_backlog",
                "overload_lag",
            ])
        if let api = node["api"] { settings.api = rateLimit(api, "limits.api") ?? settings.api }
        if let hooks = node["hooks"] { settings.hooks = rateLimit(hooks, "limits.hooks") ?? settings.hooks }
        if let chat = node["chat"] { settings.chat = rateLimit(chat, "limits.chat") ?? settings.chat }
        if let login = node["login"] { settings.login = rateLimit(login, "limits.login") ?? settings.login }
        if let cap = node["connections_per_address"], let value = integer(cap, "limits.connections_per_address", in: 1...1_000_000) {
            settings.connectionsPerAddress = value
        }
        if let backlog = node["overload_backlog"], let value = integer(backlog, "limits.overload_backlog", in: 1...100_000_000) {
            settings.overload.backlog = value
        }
        if let lagNode = node["overload_lag"], let value = duration(lagNode, "limits.overload_lag") {
            settings.overload.lagSeconds = value.seconds
        }
        for (key, keyPath) in [("header_timeout", \LimitSettings.headerTimeout), ("idle_timeout", \LimitSettings.idleTimeout)] {
            guard let timeoutNode = node[key], let value = duration(timeoutNode, "limits.\(key)") else { continue }
            if value < .seconds(1) {
                checks.report(timeoutNode, "limits.\(key)", "must be at least 1s")
            } else {
                settings[keyPath: keyPath] = value
            }
        }
        return settings
    }

    /// `{ rate: 20/s, burst: 40 }`.
    private mutating func rateLimit(_ node: ConfigNode, _ path: String) -> RateLimit? {
        guard checks.requireMap(node, path) else { return nil }
        checks.checkKeys(node, path, allowed: ["rate", "burst"])
        let burst = node["burst"].flatMap { integer($0, "\(path).burst", in: 1...1_000_000) }
        guard let rateNode = checks.required(node, "rate", path), let text = scalar(rateNode, "\(path).rate") else { return nil }
        guard let limit = RateLimit(rateText: text, burst: burst) else {
            checks.report(rateNode, "\(path).rate", "expected a rate such as 20/s, 600/m or 3600/h, found '\(text)'")
            return nil
        }
        return limit
    }
}
