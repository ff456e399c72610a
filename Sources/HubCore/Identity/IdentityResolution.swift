/// An existing identifier that an incoming key matched.
package struct IdentityMatch: Sendable, Hashable {
    /// The incoming key that matched.
    package var key: IdentityKey
    /// The stored identifier's row id.
    package var identityID: Int64
    /// The customer the identifier was first recorded on; merges never change it.
    package var home: CustomerID
    /// The customer `home` is currently merged into (itself when not merged).
    package var root: CustomerID
    package var storedVerified: Bool

    package init(key: IdentityKey, identityID: Int64, home: CustomerID, root: CustomerID, storedVerified: Bool) {
        self.key = key
        self.identityID = identityID
        self.home = home
        self.root = root
        self.storedVerified = storedVerified
    }

    /// The rule this match falls under.
    package var rule: MatchRule { key.kind.matchRule(hintVerified: key.verified, storedVerified: storedVerified) }
}

/// Two customers, in a canonical order.
package struct CustomerPair: Sendable, Hashable {
    package var low: CustomerID
    package var high: CustomerID

    package init(_ a: CustomerID, _ b: CustomerID) {
        low = min(a, b)
        high = max(a, b)
    }
}

/// What the store knows about the customers an event's keys matched.
package struct ResolutionContext: Sendable, Hashable {
    /// For each matched root: its identifiers that have a conflict scope (verified
    /// emails, unionids, shop customer ids), across everything merged into it.
    package var evidence: [CustomerID: [IdentityKey]]
    /// Roots an agent separated (a rejected proposal or an undone merge): never merged
    /// automatically nor proposed again.
    package var separated: Set<CustomerPair>

    package init(evidence: [CustomerID: [IdentityKey]] = [:], separated: Set<CustomerPair> = []) {
        self.evidence = evidence
        self.separated = separated
    }
}

/// A merge the resolver decided on: `absorbed` (a root) goes into `survivor` (a root).
package struct PlannedMerge: Sendable, Hashable {
    package var survivor: CustomerID
    package var absorbed: CustomerID
    package var rule: MatchRule
    /// What matched, for the audit trail.
    package var evidence: String

    package init(survivor: CustomerID, absorbed: CustomerID, rule: MatchRule, evidence: String) {
        self.survivor = survivor
        self.absorbed = absorbed
        self.rule = rule
        self.evidence = evidence
    }
}

/// A merge the resolver only suggests: the event's customer and `other`.
package struct PlannedProposal: Sendable, Hashable {
    package var other: CustomerID
    package var rule: MatchRule
    package var evidence: String

    package init(other: CustomerID, rule: MatchRule, evidence: String) {
        self.other = other
        self.rule = rule
        self.evidence = evidence
    }
}

/// The resolver's decision for one inbound event.
package struct Resolution: Sendable, Hashable {
    package enum Target: Sendable, Hashable {
        /// The event belongs to `home` (whose identifier it came through), seen as `root` after merges.
        case existing(home: CustomerID, root: CustomerID)
        /// Nobody matched with enough trust: a new customer.
        case newCustomer
    }

    package var target: Target
    /// Applied in order; each names roots as they are when it runs.
    package var merges: [PlannedMerge]
    package var proposals: [PlannedProposal]
    /// Keys to record on the event's customer (its home, or the new customer).
    package var attach: [IdentityKey]
    /// Stored identifiers seen again: their last-seen time moves.
    package var touch: [Int64]
    /// Stored identifiers on the event's own home that this sighting verified.
    package var verify: [Int64]
}
