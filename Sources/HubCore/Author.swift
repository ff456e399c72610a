/// Who wrote a message.
package struct Author: Sendable, Hashable, Codable {
    /// The role of the writer.
    package enum Role: String, Sendable, Hashable, Codable {
        case customer, agent, bot, system
    }

    package var role: Role
    /// A display name, for example the agent's name from the manifest.
    package var name: String?

    package init(role: Role, name: String? = nil) {
        self.role = role
        self.name = name
    }

    package static let customer = Author(role: .customer)
}

/// Whether a message came from the customer or goes to them.
package enum MessageDirection: String, Sendable, Hashable, Codable {
    case inbound = "in"
    case outbound = "out"
}
