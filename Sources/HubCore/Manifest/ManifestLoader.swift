import Foundation

/// Reads and validates a manifest, collecting every problem instead of stopping
/// at the first, so that `tributary check` can report them all at once.
package struct ManifestLoader: Sendable {
    package var registry: ChannelKindRegistry
    package var environment: [String: String]

    /// Identifier kinds the identity rules may name.
    package static let identityRuleNames: Set<String> = Set(MatchRule.configurable.map(\.rawValue))

    package init(registry: ChannelKindRegistry, environment: [String: String]) {
        self.registry = registry
        self.environment = environment
    }

    /// Loads the manifest file at `path`.
    package func load(path: String) throws(ManifestReport) -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestReport(problems: [
                ManifestProblem(file: path, line: 0, column: 0, keyPath: "", message: "cannot read the manifest file")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ManifestReport(problems: [
                ManifestProblem(file: path, line: 0, column: 0, keyPath: "", message: "the manifest is not UTF-8 text")
            ])
        }
        return try load(yaml: text, file: path)
    }

    /// Validates manifest text; `file` names it in problems.
    package func load(yaml: String, file: String) throws(ManifestReport) -> Manifest {
        var validation = ManifestValidation(file: file, environment: environment, registry: registry)
        let manifest = validation.manifest(yaml: yaml)
        if validation.problems.isEmpty, let manifest { return manifest }
        throw ManifestReport(problems: validation.problems)
    }
}

/// One pass over a manifest tree; accumulates problems as it builds the model.
struct ManifestValidation {
    let environment: [String: String]
    let registry: ChannelKindRegistry
    var checks: ConfigChecks
    var problems: [ManifestProblem] { checks.problems }

    init(file: String, environment: [String: String], registry: ChannelKindRegistry) {
        checks = ConfigChecks(file: file)
        self.environment = environment
        self.registry = registry
    }

    mutating func manifest(yaml: String) -> Manifest? {
        let parsed: ConfigNode?
        do {
            parsed = try ConfigNode.parse(yaml: yaml)
        } catch {
            checks.record(error)
            return nil
        }
        guard let root = parsed, case .map = root.value else {
            checks.report(parsed, line: parsed?.line ?? 1, "", "the manifest must be a map with server, agents, identity and channels")
            return nil
        }
        checks.checkKeys(
            root, "",
            allowed: [
                "server", "agents", "identity", "outbox", "channels", "webhooks", "teams", "routing", "assist", "calendars", "tickets",
                "sla", "audit", "limits",
            ])
        var manifest = Manifest()
        if let server = root["server"] { manifest.server = serverSettings(server) }
        if let agents = root["agents"] { manifest.agents = agentCredentials(agents) }
        if let identity = root["identity"] { manifest.identity = identitySettings(identity) }
        if let outbox = root["outbox"] { manifest.outbox = outboxSettings(outbox) }
        if let webhooks = root["webhooks"] { manifest.webhooks = outboundWebhooks(webhooks) }
        if let channels = root["channels"] {
            manifest.channels = channelConfigs(channels)
        } else {
            checks.report(root, line: root.line, "channels", "missing: declare at least one channel")
        }
        if let teamsNode = root["teams"] { manifest.routing.teams = teams(teamsNode) }
        if let routing = root["routing"] {
            routingSettings(routing, into: &manifest.routing, channels: Set(manifest.channels.map(\.id)))
        }
        if let assist = root["assist"] { manifest.assist = assistSettings(assist) }
        if let calendarsNode = root["calendars"] { manifest.calendars = calendars(calendarsNode) }
        if let ticketsNode = root["tickets"] {
            ticketSettings(ticketsNode, into: &manifest.tickets, channels: Set(manifest.channels.map(\.id)))
        }
        if let slaNode = root["sla"] {
            manifest.tickets.policies = slaPolicies(
                slaNode, channels: Set(manifest.channels.map(\.id)), teams: Set(manifest.routing.teams.map(\.id)))
        }
        if let auditNode = root["audit"] { manifest.audit = auditSettings(auditNode) }
        if let limitsNode = root["limits"] { manifest.limits = limitSettings(limitsNode) }
        checkBots(manifest, root: root)
        checkPolicyCalendars(manifest, root: root)
        return manifest
    }

    // MARK: Sections

    mutating func serverSettings(_ node: ConfigNode) -> ServerSettings {
        var settings = ServerSettings()
        guard checks.requireMap(node, "server") else { return settings }
        checks.checkKeys(node, "server", allowed: ["listen", "public_url", "database", "max_body_bytes", "tls"])
        if let listen = node["listen"], let text = scalar(listen, "server.listen") {
            if let (host, port) = Self.hostAndPort(text) {
                settings.host = host
                settings.port = port
            } else {
                checks.report(listen, "server.listen", "expected host:port such as 127.0.0.1:8080, found '\(text)'")
            }
        }
        if let url = node["public_url"], let text = scalar(url, "server.public_url") {
            if checkURL(text, schemes: ["http", "https"], node: url, path: "server.public_url") {
                settings.publicURL = text.trimmingSuffix("/")
            }
        }
        if let database = node["database"], let text = scalar(database, "server.database") {
            if text.isEmpty {
                checks.report(database, "server.database", "must name a file")
            } else {
                settings.databasePath = text
            }
        }
        if let limit = node["max_body_bytes"], let value = integer(limit, "server.max_body_bytes", in: 1024...1_073_741_824) {
            settings.maxBodyBytes = value
        }
        if let tlsNode = node["tls"], checks.requireMap(tlsNode, "server.tls") {
            checks.checkKeys(tlsNode, "server.tls", allowed: ["certificate", "key"])
            let certificate = checks.required(tlsNode, "certificate", "server.tls").flatMap { readableFile($0, "server.tls.certificate") }
            let key = checks.required(tlsNode, "key", "server.tls").flatMap { readableFile($0, "server.tls.key") }
            if let certificate, let key { settings.tls = TLSFiles(certificate: certificate, key: key) }
        }
        return settings
    }

    mutating func agentCredentials(_ node: ConfigNode) -> [AgentCredential] {
        guard case .list(let items) = node.value else {
            checks.report(node, "agents", "expected a list of { name, token }, found \(node.shapeName)")
            return []
        }
        var agents: [AgentCredential] = []
        var names: Set<String> = []
        for (index, item) in items.enumerated() {
            let path = "agents[\(index)]"
            guard checks.requireMap(item, path) else { continue }
            checks.checkKeys(item, path, allowed: ["name", "token", "scopes"])
            let name = checks.required(item, "name", path).flatMap { scalar($0, "\(path).name") }
            let scopes = item["scopes"].map { permissions($0, "\(path).scopes") }
            let token = checks.required(item, "token", path).flatMap { secret($0, "\(path).token") }
            if let name, !names.insert(name).inserted {
                checks.report(item["name"], "\(path).name", "duplicate agent name '\(name)'")
            }
            if let token, token.count < 8 {
                checks.report(item["token"], "\(path).token", "too short: use at least 8 characters")
            }
            if let name, let token { agents.append(AgentCredential(name: name, token: token, scopes: scopes)) }
        }
        return agents
    }

    mutating func outboundWebhooks(_ node: ConfigNode) -> [OutboundWebhook] {
        guard case .list(let items) = node.value else {
            checks.report(node, "webhooks", "expected a list of { id, url, events, secret }, found \(node.shapeName)")
            return []
        }
        var webhooks: [OutboundWebhook] = []
        var ids: Set<String> = []
        for (index, item) in items.enumerated() {
            let path = "webhooks[\(index)]"
            guard checks.requireMap(item, path) else { continue }
            checks.checkKeys(item, path, allowed: ["id", "url", "events", "secret", "first_retry", "give_up_after", "timeout"])
            let id = checks.required(item, "id", path).flatMap { scalar($0, "\(path).id") }
            if let id, let node = item["id"] {
                if id.isEmpty || !id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
                    checks.report(node, "\(path).id", "use lower-case letters, digits and '-', found '\(id)'")
                } else if !ids.insert(id).inserted {
                    checks.report(node, "\(path).id", "duplicate webhook id '\(id)'")
                }
            }
            var url: String?
            if let node = checks.required(item, "url", path), let text = scalar(node, "\(path).url"),
                checkURL(text, schemes: ["http", "https"], node: node, path: "\(path).url")
            {
                url = text
            }
            var events: [String] = []
            if let node = item["events"], let list = stringList(node, "\(path).events") {
                for (position, name) in list.enumerated() where !HubEventType.isKnown(name) {
                    let known = HubEventType.allCases.map(\.rawValue).joined(separator: ", ")
                    checks.report(node, "\(path).events[\(position)]", "unknown event type '\(name)'; expected one of: \(known)")
                }
                events = list
            }
            var secret: String?
            if let node = checks.required(item, "secret", path), let value = self.secret(node, "\(path).secret") {
                if OutboundWebhook.secretKey(value) == nil {
                    checks.report(
                        node, "\(path).secret", "expected a Standard Webhooks secret: whsec_ followed by base64 of at least 24 bytes")
                } else {
                    secret = value
                }
            }
            var webhook = OutboundWebhook(id: id ?? "", url: url ?? "", events: events, secret: secret ?? "", line: item.line)
            if let node = item["first_retry"], let value = duration(node, "\(path).first_retry") { webhook.firstRetry = value }
            if let node = item["give_up_after"], let value = duration(node, "\(path).give_up_after") { webhook.giveUpAfter = value }
            if let node = item["timeout"], let value = duration(node, "\(path).timeout") { webhook.timeout = value }
            if id != nil, url != nil, secret != nil { webhooks.append(webhook) }
        }
        return webhooks
    }

    mutating func identitySettings(_ node: ConfigNode) -> IdentitySettings {
        var settings = IdentitySettings()
        guard checks.requireMap(node, "identity") else { return settings }
        checks.checkKeys(node, "identity", allowed: ["default_region", "auto_merge", "propose"])
        if let region = node["default_region"], let text = scalar(region, "identity.default_region") {
            if text.count == 2, text.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                settings.defaultRegion = text
                if PhoneNumber.callingCode(region: text) == nil {
                    checks.report(
                        region, "identity.default_region",
                        "no phone numbering plan for region '\(text)'; known: \(PhoneNumber.knownRegions.joined(separator: ", "))")
                }
            } else {
                checks.report(region, "identity.default_region", "expected a two-letter region code such as CN or US, found '\(text)'")
            }
        }
        for key in ["auto_merge", "propose"] {
            guard let listNode = node[key] else { continue }
            let rules = stringList(listNode, "identity.\(key)") ?? []
            for (index, rule) in rules.enumerated() where !ManifestLoader.identityRuleNames.contains(rule) {
                let item: ConfigNode? = if case .list(let items) = listNode.value { items[index] } else { listNode }
                checks.report(
                    item, "identity.\(key)[\(index)]",
                    "unknown identifier kind '\(rule)'; known: \(ManifestLoader.identityRuleNames.sorted().joined(separator: ", "))")
            }
            if key == "auto_merge" { settings.autoMerge = rules } else { settings.propose = rules }
        }
        if let proposeNode = node["propose"] {
            for rule in settings.propose where settings.autoMerge.contains(rule) {
                checks.report(proposeNode, "identity.propose", "'\(rule)' is also in identity.auto_merge; a rule either merges or proposes")
            }
        }
        return settings
    }

    mutating func outboxSettings(_ node: ConfigNode) -> OutboxSettings {
        var settings = OutboxSettings()
        guard checks.requireMap(node, "outbox") else { return settings }
        checks.checkKeys(node, "outbox", allowed: ["max_attempts", "initial_backoff", "max_backoff"])
        if let attempts = node["max_attempts"], let value = integer(attempts, "outbox.max_attempts", in: 1...100) {
            settings.maxAttempts = value
        }
        if let initial = node["initial_backoff"], let value = duration(initial, "outbox.initial_backoff") {
            settings.initialBackoff = value
        }
        if let maximum = node["max_backoff"], let value = duration(maximum, "outbox.max_backoff") {
            settings.maxBackoff = value
        }
        return settings
    }

    mutating func channelConfigs(_ node: ConfigNode) -> [ChannelConfig] {
        guard case .list(let items) = node.value else {
            checks.report(node, "channels", "expected a list of channels, found \(node.shapeName)")
            return []
        }
        var channels: [ChannelConfig] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "channels[\(index)]"
            guard checks.requireMap(item, path) else { continue }
            checks.checkKeys(item, path, allowed: ["id", "kind", "plugin", "settings", "bot"])
            let id = checks.required(item, "id", path).flatMap { scalar($0, "\(path).id") }
            if let id, let idNode = item["id"] {
                if id.isEmpty || !id.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) {
                    checks.report(idNode, "\(path).id", "'\(id)' is not a valid channel id: use lower-case letters, digits and '-'")
                } else if let first = seen[id] {
                    checks.report(idNode, "\(path).id", "duplicate channel id '\(id)' (first declared at line \(first))")
                } else {
                    seen[id] = idNode.line
                }
            }
            let kindName = checks.required(item, "kind", path).flatMap { scalar($0, "\(path).kind") }
            var plugin = item["plugin"].flatMap { scalar($0, "\(path).plugin") }
            var settings = ChannelSettings()
            if let kindName {
                if let kind = registry.kind(named: kindName) {
                    var schema: SettingsSchema? = kind.settingsSchema
                    if kind.takesPluginFile {
                        plugin = plugin.flatMap { resolvePlugin($0, node: item["plugin"]!, path: "\(path).plugin") }
                        schema = plugin.flatMap { pluginSchema(kind, path: $0) }
                        if item["plugin"] == nil {
                            checks.report(
                                item, "\(path).plugin",
                                "missing: a '\(kindName)' channel names its plug-in file, e.g. Plugins/Telegram/telegram.yaml")
                        }
                    } else if let pluginNode = item["plugin"] {
                        checks.report(pluginNode, "\(path).plugin", "kind '\(kindName)' takes no plug-in file")
                    }
                    if let schema {
                        settings = channelSettings(item["settings"], schema: schema, path: "\(path).settings", owner: item)
                        for problem in kind.settingProblems(settings) {
                            checks.report(
                                item["settings"]?[problem.key] ?? item["settings"] ?? item, "\(path).settings.\(problem.key)",
                                problem.message)
                        }
                    }
                } else {
                    checks.report(
                        item["kind"], "\(path).kind",
                        "unknown channel kind '\(kindName)'; known kinds: \(registry.names.joined(separator: ", "))")
                }
            }
            let bot = item["bot"].flatMap { botSettings($0, "\(path).bot") }
            if let id, let kindName {
                channels.append(ChannelConfig(id: id, kind: kindName, plugin: plugin, settings: settings, bot: bot, line: item.line))
            }
        }
        return channels
    }

    /// A plug-in path as written: relative to the manifest's folder, else to the working directory.
    mutating func resolvePlugin(_ written: String, node: ConfigNode, path: String) -> String? {
        resolveFile(written, what: "plug-in file", node: node, path: path)
    }

    /// A file named in the manifest: relative to the manifest's folder, else to the working directory.
    mutating func resolveFile(_ written: String, what: String, node: ConfigNode, path: String) -> String? {
        let manifestFolder = URL(fileURLWithPath: checks.file).deletingLastPathComponent().path
        let candidates =
            written.hasPrefix("/")
            ? [written] : [manifestFolder + "/" + written, FileManager.default.currentDirectoryPath + "/" + written]
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            return URL(fileURLWithPath: found).standardizedFileURL.path
        }
        checks.report(node, path, "\(what) '\(written)' not found (looked in \(candidates.joined(separator: " and ")))")
        return nil
    }

    mutating func pluginSchema(_ kind: any ChannelKind.Type, path: String) -> SettingsSchema? {
        switch kind.loadPlugin(path: path) {
        case .success(let schema): return schema
        case .failure(let report):
            checks.record(contentsOf: report)
            return nil
        }
    }

    mutating func channelSettings(_ node: ConfigNode?, schema: SettingsSchema, path: String, owner: ConfigNode) -> ChannelSettings {
        var settings = ChannelSettings()
        if let node {
            guard checks.requireMap(node, path) else { return settings }
            checks.checkKeys(node, path, allowed: Set(schema.specs.map(\.name)))
        }
        for spec in schema.specs {
            let keyPath = "\(path).\(spec.name)"
            guard let valueNode = node?[spec.name] else {
                if spec.required {
                    checks.report(node ?? owner, keyPath, "missing required setting (\(spec.type.expectation))")
                } else if let value = spec.defaultValue {
                    settings.values[spec.name] = value
                }
                continue
            }
            if let value = settingValue(valueNode, spec: spec, path: keyPath) {
                settings.values[spec.name] = value
            }
        }
        return settings
    }

    mutating func settingValue(_ node: ConfigNode, spec: SettingSpec, path: String) -> SettingValue? {
        switch spec.type {
        case .string:
            return scalar(node, path).map(SettingValue.string)
        case .secret:
            return secret(node, path).map(SettingValue.string)
        case .url(let schemes):
            guard let text = scalar(node, path), checkURL(text, schemes: schemes, node: node, path: path) else { return nil }
            return .string(text)
        case .integer(let range):
            return integer(node, path, in: range).map(SettingValue.integer)
        case .boolean:
            guard let text = scalar(node, path) else { return nil }
            switch text.lowercased() {
            case "true", "yes", "on": return .boolean(true)
            case "false", "no", "off": return .boolean(false)
            default:
                checks.report(node, path, "expected true or false, found '\(text)'")
                return nil
            }
        case .duration:
            return duration(node, path).map(SettingValue.duration)
        case .stringList:
            return stringList(node, path).map(SettingValue.list)
        case .secretList:
            guard case .list(let items) = node.value else {
                checks.report(node, path, "expected a list of secrets from ${ENV}, found \(node.shapeName)")
                return nil
            }
            let values = items.enumerated().compactMap { index, item in secret(item, "\(path)[\(index)]") }
            return values.count == items.count ? .list(values) : nil
        }
    }

    // MARK: Scalars

    /// The scalar's text with `${ENV}` expanded; reports unset variables.
    mutating func scalar(_ node: ConfigNode, _ path: String) -> String? {
        guard let raw = node.scalar else {
            checks.report(node, path, "expected a value, found \(node.shapeName)")
            return nil
        }
        let expanded = EnvironmentExpansion.expand(raw, environment: environment)
        for name in expanded.missing {
            checks.report(node, path, "environment variable \(name) is not set (write ${\(name):-default} for a default)")
        }
        return expanded.missing.isEmpty ? expanded.text : nil
    }

    /// A credential: must come from the environment so that the manifest can be committed.
    mutating func secret(_ node: ConfigNode, _ path: String) -> String? {
        if let raw = node.scalar, !raw.contains("${") {
            checks.report(node, path, "secrets must come from the environment: write ${VARIABLE}")
            return nil
        }
        guard let value = scalar(node, path) else { return nil }
        if value.isEmpty {
            checks.report(node, path, "the secret is empty")
            return nil
        }
        return value
    }

    /// A path to a file the hub can read (PEM files are parsed at start).
    mutating func readableFile(_ node: ConfigNode, _ path: String) -> String? {
        guard let text = scalar(node, path) else { return nil }
        guard FileManager.default.isReadableFile(atPath: text) else {
            checks.report(node, path, "cannot read the file '\(text)'")
            return nil
        }
        return text
    }

    mutating func integer(_ node: ConfigNode, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = scalar(node, path) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            checks.report(node, path, "expected an integer, found '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            checks.report(node, path, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func duration(_ node: ConfigNode, _ path: String) -> Duration? {
        guard let text = scalar(node, path) else { return nil }
        guard let value = Duration(manifestText: text) else {
            checks.report(node, path, "expected a duration such as 500ms, 30s, 5m or 1h, found '\(text)'")
            return nil
        }
        return value
    }

    mutating func stringList(_ node: ConfigNode, _ path: String) -> [String]? {
        guard case .list(let items) = node.value else {
            checks.report(node, path, "expected a list, found \(node.shapeName)")
            return nil
        }
        let values = items.enumerated().compactMap { index, item in scalar(item, "\(path)[\(index)]") }
        return values.count == items.count ? values : nil
    }

    mutating func checkURL(_ text: String, schemes: Set<String>, node: ConfigNode, path: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            checks.report(node, path, "malformed URL '\(text)'")
            return false
        }
        guard schemes.contains(scheme) else {
            checks.report(node, path, "URL scheme must be one of \(schemes.sorted().joined(separator: ", ")), found '\(scheme)'")
            return false
        }
        return true
    }

    /// Splits `host:port`, `[v6]:port` or `:port`.
    static func hostAndPort(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }
}
