/// An existing identifier that an incoming key matched.
public struct IdentityMatch: Sendable, Hashable {
    /// The incoming key that matched.
    public var key: IdentityKey
    /// The stored identifier's row id.
    public var identityID: Int64
    /// The customer the identifier was first recorded on; merges never change it.
    public var home: CustomerID
    /// The customer `home` is currently merged into (itself when not merged).
    public var root: CustomerID
    public var storedVerified: Bool

    public init(key: IdentityKey, identityID: Int64, home: CustomerID, root: CustomerID, storedVerified: Bool) {
        self.key = key
        self.identityID = identityID
        self.home = home
        self.root = root
        self.storedVerified = storedVerified
    }

    /// The rule this match falls under.
    public var rule: MatchRule { key.kind.matchRule(hintVerified: key.verified, storedVerified: storedVerified) }
}

/// Two customers, in a canonical order.
public struct CustomerPair: Sendable, Hashable {
    public var low: CustomerID
    public var high: CustomerID

    public init(_ a: CustomerID, _ b: CustomerID) {
        low = min(a, b)
        high = max(a, b)
    }
}

/// What the store knows about the customers an event's keys matched.
public struct ResolutionContext: Sendable, Hashable {
    /// For each matched root: its identifiers that have a conflict scope (verified
    /// emails, unionids, shop customer ids), across everything merged into it.
    public var evidence: [CustomerID: [IdentityKey]]
    /// Roots an agent separated (a rejected proposal or an undone merge): never merged
    /// automatically nor proposed again.
    public var separated: Set<CustomerPair>

    public init(evidence: [CustomerID: [IdentityKey]] = [:], separated: Set<CustomerPair> = []) {
        self.evidence = evidence
        self.separated = separated
    }
}

/// A merge the resolver decided on: `absorbed` (a root) goes into `survivor` (a root).
public struct PlannedMerge: Sendable, Hashable {
    public var survivor: CustomerID
    public var absorbed: CustomerID
    public var rule: MatchRule
    /// What matched, for the audit trail.
    public var evidence: String

    public init(survivor: CustomerID, absorbed: CustomerID, rule: MatchRule, evidence: String) {
        self.survivor = survivor
        self.absorbed = absorbed
        self.rule = rule
        self.evidence = evidence
    }
}

/// A merge the resolver only suggests: the event's customer and `other`.
public struct PlannedProposal: Sendable, Hashable {
    public var other: CustomerID
    public var rule: MatchRule
    public var evidence: String

    public init(other: CustomerID, rule: MatchRule, evidence: String) {
        self.other = other
        self.rule = rule
        self.evidence = evidence
    }
}

/// The resolver's decision for one inbound event.
public struct Resolution: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// The event belongs to `home` (whose identifier it came through), seen as `root` after merges.
        case existing(home: CustomerID, root: CustomerID)
        /// Nobody matched with enough trust: a new customer.
        case newCustomer
    }

    public var target: Target
    /// Applied in order; each names roots as they are when it runs.
    public var merges: [PlannedMerge]
    public var proposals: [PlannedProposal]
    /// Keys to record on the event's customer (its home, or the new customer).
    public var attach: [IdentityKey]
    /// Stored identifiers seen again: their last-seen time moves.
    public var touch: [Int64]
    /// Stored identifiers on the event's own home that this sighting verified.
    public var verify: [Int64]
}
