import HubCore

/// Renders an outbound body template (YAML) to JSON text: quoted scalars and
/// placeholders become strings, bare `true`/`false`/numbers stay JSON literals.
enum JSONTemplate {
    static func render(_ node: ConfigNode, values: [String: String]) -> String {
        switch node.value {
        case .scalar(let text, let quoted):
            if !quoted && text.placeholderFree {
                if text == "true" || text == "false" || text == "null" { return text }
                if Int64(text) != nil || (Double(text) != nil && text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" })) {
                    return text
                }
            }
            return quote(Template(text: text).render(values))
        case .list(let items):
            return "[" + items.map { render($0, values: values) }.joined(separator: ",") + "]"
        case .map(let entries):
            return "{" + entries.map { quote($0.key) + ":" + render($0.value, values: values) }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}

extension String {
    fileprivate var placeholderFree: Bool { !contains("{{") }
}
