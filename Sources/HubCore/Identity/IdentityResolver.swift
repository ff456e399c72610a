/// Decides, from the identifiers an event carries and what they matched, which
/// customer the event belongs to and which merges or proposals follow. Pure: the
/// store gathers the matches and applies the decision in one transaction.
package enum IdentityResolver {
    package static func resolve(
        keys: [IdentityKey], matches: [IdentityMatch], context: ResolutionContext, policy: IdentityPolicy
    ) -> Resolution {
        let usable = matches.filter { $0.key.comparable }
        let strong = usable.filter { policy.trust($0.rule) == .merge }
        let incomingEvidence = keys.filter { $0.comparable && $0.kind.conflictScope(value: $0.value, verified: $0.verified) != nil }

        var root: CustomerID?
        var home: CustomerID?
        var group: Set<CustomerID> = []
        var groupEvidence = incomingEvidence
        var blocked: Set<CustomerID> = []
        var merges: [PlannedMerge] = []
        var proposals: [PlannedProposal] = []

        // The channel's own account for the sender is the anchor: the event is theirs.
        if let account = strong.first(where: { $0.rule == .sameAccount }) {
            root = account.root
            home = account.home
            group = [account.root]
            groupEvidence += context.evidence[account.root] ?? []
        }
        for link in firstLinkPerRoot(strong) where !group.contains(link.root) {
            let theirs = context.evidence[link.root] ?? []
            if group.contains(where: { context.separated.contains(CustomerPair($0, link.root)) }) {
                blocked.insert(link.root)
            } else if let conflict = conflict(groupEvidence, theirs) {
                blocked.insert(link.root)
                proposals.append(
                    PlannedProposal(
                        other: link.root, rule: link.rule,
                        evidence: "\(describe(link.key)); not merged automatically: \(conflict)"))
            } else if let current = root {
                merges.append(
                    PlannedMerge(
                        survivor: min(current, link.root), absorbed: max(current, link.root), rule: link.rule, evidence: describe(link.key))
                )
                root = min(current, link.root)
                group.insert(link.root)
                groupEvidence += theirs
            } else {
                root = link.root
                home = link.home
                group = [link.root]
                groupEvidence += theirs
            }
        }

        // The target is only known now: drop proposals to customers an agent separated from it.
        proposals.removeAll { proposal in group.contains { context.separated.contains(CustomerPair($0, proposal.other)) } }

        let weak = usable.filter { policy.trust($0.rule) == .propose }
        for link in firstLinkPerRoot(weak) where !group.contains(link.root) && !blocked.contains(link.root) {
            guard !group.contains(where: { context.separated.contains(CustomerPair($0, link.root)) }) else { continue }
            guard !proposals.contains(where: { $0.other == link.root }) else { continue }
            proposals.append(PlannedProposal(other: link.root, rule: link.rule, evidence: describe(link.key)))
        }

        var attach: [IdentityKey] = []
        for key in keys {
            let held = matches.filter { $0.key.kind == key.kind && $0.key.value == key.value }
            if held.contains(where: { group.contains($0.root) }) { continue }
            // An account that belongs to a customer we refused to merge stays theirs alone.
            if held.contains(where: { blocked.contains($0.root) && policy.trust($0.rule) == .merge }) { continue }
            attach.append(key)
        }
        let inGroup = matches.filter { group.contains($0.root) }
        let touch = inGroup.map(\.identityID)
        let verify = inGroup.filter { $0.key.verified && !$0.storedVerified && $0.home == home }.map(\.identityID)
        let target: Resolution.Target = if let root, let home { .existing(home: home, root: root) } else { .newCustomer }
        return Resolution(target: target, merges: merges, proposals: proposals, attach: attach, touch: touch, verify: verify)
    }

    /// The reason two sets of identifiers cannot be one person, if any: within a
    /// scope (verified email, unionid, one shop's customer id) both hold values and
    /// share none.
    package static func conflict(_ left: [IdentityKey], _ right: [IdentityKey]) -> String? {
        func scoped(_ keys: [IdentityKey]) -> [String: Set<String>] {
            var result: [String: Set<String>] = [:]
            for key in keys {
                guard let scope = key.kind.conflictScope(value: key.value, verified: key.verified) else { continue }
                result[scope, default: []].insert(key.value)
            }
            return result
        }
        let mine = scoped(left)
        let theirs = scoped(right)
        for scope in mine.keys.sorted() {
            guard let a = mine[scope], let b = theirs[scope], a.isDisjoint(with: b) else { continue }
            return
                "different \(scope.hasPrefix("shop_customer") ? "shop customer ids" : scope == "email" ? "verified emails" : "WeChat unionids")"
        }
        return nil
    }

    /// One link per root, roots in ascending order, preferring a same-account link.
    private static func firstLinkPerRoot(_ links: [IdentityMatch]) -> [IdentityMatch] {
        var byRoot: [CustomerID: IdentityMatch] = [:]
        for link in links where byRoot[link.root] == nil || (link.rule == .sameAccount && byRoot[link.root]?.rule != .sameAccount) {
            byRoot[link.root] = link
        }
        return byRoot.keys.sorted().compactMap { byRoot[$0] }
    }

    static func describe(_ key: IdentityKey) -> String {
        "\(key.kind.rawValue) \(key.value)"
    }
}
