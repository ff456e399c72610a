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
            return JSONText.quoted(Template(text: text).render(values))
        case .list(let items):
            return "[" + items.map { render($0, values: values) }.joined(separator: ",") + "]"
        case .map(let entries):
            return "{" + entries.map { JSONText.quoted($0.key) + ":" + render($0.value, values: values) }.joined(separator: ",") + "}"
        }
    }
}

extension String {
    fileprivate var placeholderFree: Bool { !contains("{{") }
}
