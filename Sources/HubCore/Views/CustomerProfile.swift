import struct Foundation.Date

/// A customer as an agent sees them: name and every identifier.
public struct CustomerProfile: Sendable, Hashable, Codable {
    public var id: CustomerID
    public var displayName: String?
    public var createdAt: Date
    public var identities: [IdentityView]

    public init(id: CustomerID, displayName: String?, createdAt: Date, identities: [IdentityView]) {
        self.id = id
        self.displayName = displayName
        self.createdAt = createdAt
        self.identities = identities
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case displayName = "name"
        case createdAt = "created_at"
        case identities
    }
}

/// One identifier of a customer with its provenance.
public struct IdentityView: Sendable, Hashable, Codable {
    public var kind: String
    public var value: String
    public var channelID: ChannelID
    public var verified: Bool
    public var firstSeen: Date
    public var lastSeen: Date

    public init(kind: String, value: String, channelID: ChannelID, verified: Bool, firstSeen: Date, lastSeen: Date) {
        self.kind = kind
        self.value = value
        self.channelID = channelID
        self.verified = verified
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    private enum CodingKeys: String, CodingKey {
        case kind, value
        case channelID = "channel"
        case verified
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
    }
}
