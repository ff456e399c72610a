/// What the manifest trusts: which match rules merge customers on their own and
/// which only produce a proposal for an agent.
package struct IdentityPolicy: Sendable, Hashable {
    package enum Trust: Sendable, Hashable {
        case merge
        case propose
        case ignore
    }

    package var normaliser: IdentityNormaliser
    package var autoMerge: Set<MatchRule>
    package var propose: Set<MatchRule>

    package init(defaultRegion: String, autoMerge: Set<MatchRule>, propose: Set<MatchRule>) {
        self.normaliser = IdentityNormaliser(defaultRegion: defaultRegion)
        self.autoMerge = autoMerge
        self.propose = propose
    }

    package init(_ settings: IdentitySettings) {
        self.init(
            defaultRegion: settings.defaultRegion, autoMerge: Set(settings.autoMerge.map(MatchRule.init(rawValue:))),
            propose: Set(settings.propose.map(MatchRule.init(rawValue:))))
    }

    /// What a match under `rule` may do. A verified-email match is at least as
    /// trusted as an email match, since it is stronger evidence.
    package func trust(_ rule: MatchRule) -> Trust {
        if rule == .sameAccount { return .merge }
        if autoMerge.contains(rule) || (rule == .emailVerified && autoMerge.contains(.email)) { return .merge }
        if propose.contains(rule) || (rule == .emailVerified && propose.contains(.email)) { return .propose }
        return .ignore
    }
}
