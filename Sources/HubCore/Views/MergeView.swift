package import struct Foundation.Date

/// One merge in the audit trail: who joined which customers, when and why.
package struct MergeView: Sendable, Hashable, Codable {
    package var id: Int64
    package var survivor: CustomerID
    package var absorbed: CustomerID
    /// The match rule for an automatic merge; `nil` for a manual one.
    package var rule: String?
    package var evidence: String?
    /// `rule`, `agent:NAME`, `cli` or `import`.
    package var actor: String
    package var reason: String?
    package var createdAt: Date
    package var undoneAt: Date?
    package var undoneBy: String?

    package init(
        id: Int64, survivor: CustomerID, absorbed: CustomerID, rule: String?, evidence: String?, actor: String, reason: String?,
        createdAt: Date, undoneAt: Date?, undoneBy: String?
    ) {
        self.id = id
        self.survivor = survivor
        self.absorbed = absorbed
        self.rule = rule
        self.evidence = evidence
        self.actor = actor
        self.reason = reason
        self.createdAt = createdAt
        self.undoneAt = undoneAt
        self.undoneBy = undoneBy
    }

    /// `active` or `undone`.
    package var state: String { undoneAt == nil ? "active" : "undone" }

    private enum CodingKeys: String, CodingKey {
        case id, survivor, absorbed, rule, evidence, actor, reason, state
        case createdAt = "created_at"
        case undoneAt = "undone_at"
        case undoneBy = "undone_by"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(Int64.self, forKey: .id), survivor: try container.decode(CustomerID.self, forKey: .survivor),
            absorbed: try container.decode(CustomerID.self, forKey: .absorbed),
            rule: try container.decodeIfPresent(String.self, forKey: .rule),
            evidence: try container.decodeIfPresent(String.self, forKey: .evidence),
            actor: try container.decode(String.self, forKey: .actor),
            reason: try container.decodeIfPresent(String.self, forKey: .reason),
            createdAt: try container.decode(Date.self, forKey: .createdAt),
            undoneAt: try container.decodeIfPresent(Date.self, forKey: .undoneAt),
            undoneBy: try container.decodeIfPresent(String.self, forKey: .undoneBy))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(survivor, forKey: .survivor)
        try container.encode(absorbed, forKey: .absorbed)
        try container.encode(rule, forKey: .rule)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(actor, forKey: .actor)
        try container.encode(reason, forKey: .reason)
        try container.encode(state, forKey: .state)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(undoneAt, forKey: .undoneAt)
        try container.encode(undoneBy, forKey: .undoneBy)
    }
}

/// A merge the hub suggests to an agent.
package struct MergeProposalView: Sendable, Hashable, Codable {
    package var id: Int64
    /// The two customers as they were when proposed.
    package var customers: [CustomerID]
    /// The same two as they are now (after later merges).
    package var currentCustomers: [CustomerID]
    package var rule: String
    package var evidence: String
    /// `open`, `accepted`, `rejected` or `superseded` (merged another way).
    package var state: String
    package var createdAt: Date
    package var decidedAt: Date?
    package var decidedBy: String?
    package var mergeID: Int64?

    package init(
        id: Int64, customers: [CustomerID], currentCustomers: [CustomerID], rule: String, evidence: String, state: String,
        createdAt: Date, decidedAt: Date?, decidedBy: String?, mergeID: Int64?
    ) {
        self.id = id
        self.customers = customers
        self.currentCustomers = currentCustomers
        self.rule = rule
        self.evidence = evidence
        self.state = state
        self.createdAt = createdAt
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.mergeID = mergeID
    }

    private enum CodingKeys: String, CodingKey {
        case id, customers
        case currentCustomers = "current_customers"
        case rule, evidence, state
        case createdAt = "created_at"
        case decidedAt = "decided_at"
        case decidedBy = "decided_by"
        case mergeID = "merge"
    }
}
