/// Who wrote a message.
public struct Author: Sendable, Hashable, Codable {
    /// The role of the writer.
    public enum Role: String, Sendable, Hashable, Codable {
        case customer, agent, bot, system
    }

    public var role: Role
    /// A display name, for example the agent's name from the manifest.
    public var name: String?

    public init(role: Role, name: String? = nil) {
        self.role = role
        self.name = name
    }

    public static let customer = Author(role: .customer)
}

/// Whether a message came from the customer or goes to them.
public enum MessageDirection: String, Sendable, Hashable, Codable {
    case inbound = "in"
    case outbound = "out"
}
