package import struct Foundation.Date

/// A customer as an agent sees them: everything merged into them, with provenance.
package struct CustomerProfile: Sendable, Hashable, Codable {
    /// The surviving customer's id.
    package var id: CustomerID
    /// The name shown: the most recently updated `name` attribute.
    package var displayName: String?
    package var createdAt: Date
    package var identities: [IdentityView]
    package var attributes: [AttributeView]
    /// Customers merged into this one (directly or through others), oldest merge first.
    package var mergedCustomers: [CustomerID]
    /// The id that was asked for, when it had been merged into this customer.
    package var redirectedFrom: CustomerID?
    /// When the customer was anonymised; nothing personal is left.
    package var erasedAt: Date?

    package init(
        id: CustomerID, displayName: String?, createdAt: Date, identities: [IdentityView], attributes: [AttributeView] = [],
        mergedCustomers: [CustomerID] = [], redirectedFrom: CustomerID? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.createdAt = createdAt
        self.identities = identities
        self.attributes = attributes
        self.mergedCustomers = mergedCustomers
        self.redirectedFrom = redirectedFrom
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case displayName = "name"
        case createdAt = "created_at"
        case identities, attributes
        case mergedCustomers = "merged_customers"
        case redirectedFrom = "redirected_from"
        case erasedAt = "erased_at"
    }
}

/// One identifier of a customer with its provenance.
package struct IdentityView: Sendable, Hashable, Codable {
    package var kind: String
    package var value: String
    package var channelID: ChannelID
    package var verified: Bool
    /// False when the value could not be normalised (kept as typed, never merged on).
    package var normalised: Bool
    /// The customer this identifier was recorded on; after an undo it goes back there.
    package var customerID: CustomerID
    package var firstSeen: Date
    package var lastSeen: Date

    package init(
        kind: String, value: String, channelID: ChannelID, verified: Bool, normalised: Bool = true, customerID: CustomerID,
        firstSeen: Date, lastSeen: Date
    ) {
        self.kind = kind
        self.value = value
        self.channelID = channelID
        self.verified = verified
        self.normalised = normalised
        self.customerID = customerID
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    private enum CodingKeys: String, CodingKey {
        case kind, value
        case channelID = "channel"
        case verified, normalised
        case customerID = "customer"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
    }
}

/// A profile attribute with every value any source gave it.
package struct AttributeView: Sendable, Hashable, Codable {
    package var name: String
    /// The value shown: the most recently updated one.
    package var shown: String
    /// Every value, newest first; conflicting values are all kept.
    package var values: [AttributeValue]

    package init(name: String, shown: String, values: [AttributeValue]) {
        self.name = name
        self.shown = shown
        self.values = values
    }
}

/// One value of an attribute and where it came from.
package struct AttributeValue: Sendable, Hashable, Codable {
    package var value: String
    /// A channel id, or `import:FILE` for a CRM import.
    package var source: String
    package var customerID: CustomerID
    package var updatedAt: Date

    package init(value: String, source: String, customerID: CustomerID, updatedAt: Date) {
        self.value = value
        self.source = source
        self.customerID = customerID
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case value, source
        case customerID = "customer"
        case updatedAt = "updated_at"
    }
}
