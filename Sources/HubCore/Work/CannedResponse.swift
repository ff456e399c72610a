import Foundation

/// A prepared answer agents insert, with `{{variables}}` the hub fills for a conversation.
package struct CannedResponse: Sendable, Hashable, Codable {
    package var id: Int64
    /// What agents type after `/` to find it, `[a-z0-9_-]+`.
    package var shortcut: String
    package var text: String

    package init(id: Int64, shortcut: String, text: String) {
        self.id = id
        self.shortcut = shortcut
        self.text = text
    }

    /// The variables a template may use.
    package static let variables = ["customer.name", "order.number", "agent.name", "conversation.id", "channel"]

    /// `template` with each `{{name}}` replaced by its value; an unknown or empty variable
    /// becomes an empty string, so that a customer never sees braces.
    package static func render(_ template: String, values: [String: String]) -> String {
        var output = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                output += rest[open.lowerBound...]
                return output
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += values[name] ?? ""
            rest = rest[close.upperBound...]
        }
        return output + rest
    }
}
