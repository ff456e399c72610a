import Foundation
import HubCore

/// Reads a plug-in file and checks it as strictly as the manifest: every problem is
/// reported with the plug-in file's name, line and key.
struct WebhookPluginLoader {
    var checks: ConfigChecks

    init(file: String) {
        checks = ConfigChecks(file: file)
    }

    static func load(path: String) -> Result<WebhookPlugin, ManifestReport> {
        var loader = WebhookPluginLoader(file: path)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(
                ManifestReport(problems: [
                    ManifestProblem(file: path, line: 0, column: 0, keyPath: "", message: "cannot read the plug-in file")
                ]))
        }
        let plugin = loader.plugin(yaml: text)
        if let plugin, loader.checks.problems.isEmpty { return .success(plugin) }
        return .failure(ManifestReport(problems: loader.checks.problems))
    }

    mutating func plugin(yaml: String) -> WebhookPlugin? {
        let root: ConfigNode
        do {
            guard let parsed = try ConfigNode.parse(yaml: yaml) else {
                checks.report(nil, "", "the plug-in file is empty")
                return nil
            }
            root = parsed
        } catch {
            checks.record(error)
            return nil
        }
        guard checks.requireMap(root, "") else { return nil }
        checks.checkKeys(root, "", allowed: ["name", "description", "settings", "inbound", "outbound"])
        let name = string(root, "name") ?? "webhook"
        let settings = settingsSchema(root["settings"])
        let declared = Set(settings.specs.map(\.name))
        guard let inbound = root["inbound"], checks.requireMap(inbound, "inbound") else {
            checks.report(root, "inbound", "missing: how requests are authenticated and mapped")
            return nil
        }
        checks.checkKeys(inbound, "inbound", allowed: ["auth", "dedupe_key", "accept_if", "map", "ack", "type", "orders", "shipments"])
        let auth = inboundAuth(inbound["auth"], declared: declared)
        let dedupe = inbound["dedupe_key"].flatMap { pointerOrHeader($0, "inbound.dedupe_key") }
        if dedupe == nil, case .standardWebhooks? = auth {
            // webhook-id is the idempotency key.
        } else if inbound["dedupe_key"] == nil {
            checks.report(inbound, "inbound.dedupe_key", "missing: a JSON pointer (e.g. /update_id) or header:Name")
        }
        let acceptIf = inbound["accept_if"].flatMap { pointer($0, "inbound.accept_if") }
        let eventType = inbound["type"].flatMap { pointer($0, "inbound.type") }
        var orders: WebhookPlugin.CommerceMapping?
        var shipments: WebhookPlugin.CommerceMapping?
        if let node = inbound["orders"] {
            orders = commerceMapping(
                node, "inbound.orders", fields: WebhookPlugin.CommerceMapping.orderFields, required: ["id", "updated_at"])
        }
        if let node = inbound["shipments"] {
            shipments = commerceMapping(
                node, "inbound.shipments", fields: WebhookPlugin.CommerceMapping.shipmentFields, required: ["order_id", "updated_at"])
        }
        if (orders != nil || shipments != nil) && eventType == nil {
            checks.report(inbound, "inbound.type", "missing: a JSON pointer to the event type (e.g. /type), to tell orders from shipments")
        }
        // Messages are optional for a channel that carries only orders and shipments.
        let commerceOnly = inbound["map"] == nil && (inbound["orders"] != nil || inbound["shipments"] != nil)
        let mapping = commerceOnly ? nil : fieldMapping(inbound["map"], owner: inbound)
        var ack: WebhookReply?
        if let ackNode = inbound["ack"] { ack = acknowledgement(ackNode) }
        var outbound: WebhookPlugin.OutboundTemplate?
        if let outboundNode = root["outbound"] { outbound = outboundTemplate(outboundNode, declared: declared) }
        guard let auth, mapping != nil || commerceOnly else { return nil }
        return WebhookPlugin(
            name: name, settings: settings, auth: auth, dedupeKey: dedupe, acceptIf: acceptIf, mapping: mapping, eventType: eventType,
            orders: orders, shipments: shipments, acknowledgement: ack, outbound: outbound)
    }

    mutating func settingsSchema(_ node: ConfigNode?) -> SettingsSchema {
        guard let node else { return SettingsSchema([]) }
        guard case .map(let entries) = node.value else {
            checks.report(node, "settings", "expected a map of setting names to types")
            return SettingsSchema([])
        }
        var specs: [SettingSpec] = []
        for entry in entries {
            let path = "settings.\(entry.key)"
            var typeName: String?
            var defaultText: String?
            var required = true
            if let scalar = entry.value.scalar {
                typeName = scalar
            } else if checks.requireMap(entry.value, path) {
                checks.checkKeys(entry.value, path, allowed: ["type", "required", "default"])
                typeName = string(entry.value, "type", path: path)
                defaultText = entry.value["default"]?.scalar
                required = entry.value["required"]?.scalar.map { $0 == "true" } ?? (defaultText == nil)
            }
            guard let typeName else { continue }
            let type: SettingType
            switch typeName {
            case "string": type = .string
            case "secret": type = .secret
            case "url": type = .url(schemes: ["http", "https"])
            case "integer": type = .integer(Int.min...Int.max)
            case "boolean": type = .boolean
            case "duration": type = .duration
            default:
                checks.report(
                    entry.value, path, "unknown setting type '\(typeName)'; use string, secret, url, integer, boolean or duration")
                continue
            }
            specs.append(SettingSpec(entry.key, type, required: required, default: defaultText.map(SettingValue.string)))
        }
        return SettingsSchema(specs)
    }

    mutating func inboundAuth(_ node: ConfigNode?, declared: Set<String>) -> WebhookPlugin.InboundAuth? {
        guard let node else {
            checks.report(
                nil, "inbound.auth",
                "missing: every channel authenticates its requests (header_secret, hmac_sha256, hmac_sha1, standard_webhooks)")
            return nil
        }
        guard checks.requireMap(node, "inbound.auth"), let scheme = string(node, "scheme", path: "inbound.auth") else { return nil }
        let secret = string(node, "secret", path: "inbound.auth").map(Template.init)
        if let secret { check(secret, node["secret"], "inbound.auth.secret", declared: declared, sendTime: false) }
        switch scheme {
        case "header_secret":
            checks.checkKeys(node, "inbound.auth", allowed: ["scheme", "header", "secret"])
            guard let header = string(node, "header", path: "inbound.auth"), let secret else { return nil }
            return .headerSecret(header: header.lowercased(), secret: secret)
        case "hmac_sha256", "hmac_sha1":
            checks.checkKeys(node, "inbound.auth", allowed: ["scheme", "header", "secret", "encoding", "prefix"])
            let encodingText = node["encoding"]?.scalar ?? "hex"
            guard let encoding = WebhookPlugin.SignatureEncoding(rawValue: encodingText) else {
                checks.report(node["encoding"], "inbound.auth.encoding", "expected hex or base64")
                return nil
            }
            guard let header = string(node, "header", path: "inbound.auth"), let secret else { return nil }
            return .hmac(
                algorithm: WebhookPlugin.HMACAlgorithm(rawValue: scheme)!, header: header.lowercased(), encoding: encoding,
                prefix: node["prefix"]?.scalar ?? "", secret: secret)
        case "standard_webhooks":
            checks.checkKeys(node, "inbound.auth", allowed: ["scheme", "secret", "tolerance"])
            var tolerance = Duration.seconds(300)
            if let text = node["tolerance"]?.scalar {
                guard let parsed = Duration(manifestText: text) else {
                    checks.report(node["tolerance"], "inbound.auth.tolerance", "expected a duration such as 5m")
                    return nil
                }
                tolerance = parsed
            }
            guard let secret else { return nil }
            return .standardWebhooks(secret: secret, tolerance: tolerance)
        default:
            checks.report(
                node["scheme"], "inbound.auth.scheme",
                "unknown scheme '\(scheme)'; use header_secret, hmac_sha256, hmac_sha1 or standard_webhooks")
            return nil
        }
    }

    mutating func fieldMapping(_ node: ConfigNode?, owner: ConfigNode) -> WebhookPlugin.FieldMapping? {
        guard let node, checks.requireMap(node, "inbound.map") else {
            checks.report(owner, "inbound.map", "missing: JSON pointers for at least conversation and text")
            return nil
        }
        let path = "inbound.map"
        checks.checkKeys(
            node, path,
            allowed: [
                "conversation", "text", "message_id", "sender_id", "sender_name", "sender_phone", "sender_email", "contacts_verified",
                "timestamp", "media_url",
            ])
        let conversation = requiredPointer(node, "conversation", path)
        let text = requiredPointer(node, "text", path)
        var names: [String] = []
        if let nameNode = node["sender_name"] {
            if case .list(let items) = nameNode.value {
                names = items.enumerated().compactMap { pointer($1, "\(path).sender_name[\($0)]") }
            } else if let single = pointer(nameNode, "\(path).sender_name") {
                names = [single]
            }
        }
        func optional(_ key: String) -> String? { node[key].flatMap { pointer($0, "\(path).\(key)") } }
        guard let conversation, let text else { return nil }
        return WebhookPlugin.FieldMapping(
            conversation: conversation, text: text, messageID: optional("message_id"), senderID: optional("sender_id"), senderName: names,
            senderPhone: optional("sender_phone"), senderEmail: optional("sender_email"),
            contactsVerified: node["contacts_verified"]?.scalar == "true", timestamp: optional("timestamp"),
            mediaURL: optional("media_url"))
    }

    mutating func commerceMapping(_ node: ConfigNode, _ path: String, fields: Set<String>, required: Set<String>)
        -> WebhookPlugin.CommerceMapping?
    {
        guard checks.requireMap(node, path) else { return nil }
        checks.checkKeys(node, path, allowed: ["types", "map"])
        var types: Set<String> = []
        if let list = node["types"], case .list(let items) = list.value {
            types = Set(items.compactMap(\.scalar))
        } else {
            checks.report(node, "\(path).types", "expected a list of event types, e.g. [order.created, order.updated]")
        }
        guard let mapNode = node["map"], checks.requireMap(mapNode, "\(path).map") else {
            checks.report(node, "\(path).map", "missing: JSON pointers for the fields")
            return nil
        }
        checks.checkKeys(mapNode, "\(path).map", allowed: fields)
        var pointers: [String: String] = [:]
        if case .map(let entries) = mapNode.value {
            for entry in entries where fields.contains(entry.key) {
                if let value = pointer(entry.value, "\(path).map.\(entry.key)") { pointers[entry.key] = value }
            }
        }
        for field in required.sorted() where mapNode[field] == nil {
            checks.report(mapNode, "\(path).map.\(field)", "missing required JSON pointer")
        }
        return WebhookPlugin.CommerceMapping(types: types, fields: pointers)
    }

    mutating func acknowledgement(_ node: ConfigNode) -> WebhookReply? {
        guard checks.requireMap(node, "inbound.ack") else { return nil }
        checks.checkKeys(node, "inbound.ack", allowed: ["status", "body", "content_type"])
        let status = node["status"]?.scalar.flatMap(Int.init) ?? 200
        guard (200...299).contains(status) else {
            checks.report(node["status"], "inbound.ack.status", "an acknowledgement must be 2xx")
            return nil
        }
        return WebhookReply(
            status: status, contentType: node["content_type"]?.scalar ?? "text/plain; charset=utf-8",
            body: Array((node["body"]?.scalar ?? "").utf8))
    }

    mutating func outboundTemplate(_ node: ConfigNode, declared: Set<String>) -> WebhookPlugin.OutboundTemplate? {
        let path = "outbound"
        guard checks.requireMap(node, path) else { return nil }
        checks.checkKeys(
            node, path, allowed: ["method", "url", "headers", "body", "message_id", "success_if", "retry_on_status", "retry_after"])
        let method = (node["method"]?.scalar ?? "POST").uppercased()
        if !["POST", "PUT", "PATCH", "GET"].contains(method) {
            checks.report(node["method"], "\(path).method", "expected POST, PUT, PATCH or GET")
        }
        guard let url = string(node, "url", path: path).map(Template.init) else { return nil }
        check(url, node["url"], "\(path).url", declared: declared, sendTime: true)
        var headers: [(String, Template)] = []
        if let headerNode = node["headers"], checks.requireMap(headerNode, "\(path).headers"), case .map(let entries) = headerNode.value {
            for entry in entries {
                guard let value = entry.value.scalar else {
                    checks.report(entry.value, "\(path).headers.\(entry.key)", "expected a string")
                    continue
                }
                check(Template(text: value), entry.value, "\(path).headers.\(entry.key)", declared: declared, sendTime: true)
                headers.append((entry.key, Template(text: value)))
            }
        }
        if let body = node["body"] { checkBody(body, "\(path).body", declared: declared) }
        var retry: Set<Int> = [429, 500, 502, 503, 504]
        if let list = node["retry_on_status"] {
            guard case .list(let items) = list.value else {
                checks.report(list, "\(path).retry_on_status", "expected a list of HTTP status codes")
                return nil
            }
            retry = Set(items.compactMap { $0.scalar.flatMap(Int.init) })
        }
        return WebhookPlugin.OutboundTemplate(
            method: method, url: url, headers: headers, body: node["body"],
            messageID: node["message_id"].flatMap { pointer($0, "\(path).message_id") },
            successIf: node["success_if"].flatMap { pointer($0, "\(path).success_if") }, retryOnStatus: retry,
            retryAfter: node["retry_after"].flatMap { pointerOrHeader($0, "\(path).retry_after") })
    }

    mutating func checkBody(_ node: ConfigNode, _ path: String, declared: Set<String>) {
        switch node.value {
        case .scalar(let text, _): check(Template(text: text), node, path, declared: declared, sendTime: true)
        case .list(let items): for (index, item) in items.enumerated() { checkBody(item, "\(path)[\(index)]", declared: declared) }
        case .map(let entries): for entry in entries { checkBody(entry.value, "\(path).\(entry.key)", declared: declared) }
        }
    }

    /// Every placeholder must name a declared setting or, at send time, a message field.
    mutating func check(_ template: Template, _ node: ConfigNode?, _ path: String, declared: Set<String>, sendTime: Bool) {
        for name in template.placeholders {
            if name.hasPrefix("settings.") {
                if !declared.contains(String(name.dropFirst(9))) {
                    checks.report(node, path, "{{\(name)}} names a setting the plug-in does not declare under settings:")
                }
            } else if !sendTime || !Template.sendPlaceholders.contains(name) {
                let known = (sendTime ? Template.sendPlaceholders.sorted() : []).map { "{{\($0)}}" } + ["{{settings.NAME}}"]
                checks.report(node, path, "unknown placeholder {{\(name)}}; known: \(known.joined(separator: ", "))")
            }
        }
    }

    mutating func requiredPointer(_ node: ConfigNode, _ key: String, _ path: String) -> String? {
        guard let value = node[key] else {
            checks.report(node, "\(path).\(key)", "missing required JSON pointer")
            return nil
        }
        return pointer(value, "\(path).\(key)")
    }

    mutating func pointer(_ node: ConfigNode, _ path: String) -> String? {
        guard let text = node.scalar, text.hasPrefix("/") else {
            checks.report(node, path, "expected a JSON pointer such as /message/text")
            return nil
        }
        return text
    }

    mutating func pointerOrHeader(_ node: ConfigNode, _ path: String) -> String? {
        if let text = node.scalar, text.hasPrefix("header:"), text.count > 7 { return text }
        return pointer(node, path)
    }

    mutating func string(_ node: ConfigNode, _ key: String, path: String = "") -> String? {
        let keyPath = path.isEmpty ? key : "\(path).\(key)"
        guard let value = node[key] else {
            checks.report(node, keyPath, "missing required key")
            return nil
        }
        guard let text = value.scalar, !text.isEmpty else {
            checks.report(value, keyPath, "expected a non-empty string")
            return nil
        }
        return text
    }
}
