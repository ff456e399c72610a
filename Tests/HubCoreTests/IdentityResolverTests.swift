import HubCore
import Testing

@Suite struct IdentityResolverTests {
    let policy = IdentityPolicy(IdentitySettings())

    func key(_ kind: IdentityKind, _ value: String, verified: Bool = true) -> IdentityKey {
        IdentityKey(kind: kind, value: value, verified: verified)
    }

    func match(_ key: IdentityKey, id: Int64, home: CustomerID, root: CustomerID? = nil, verified: Bool = true) -> IdentityMatch {
        IdentityMatch(key: key, identityID: id, home: home, root: root ?? home, storedVerified: verified)
    }

    @Test func defaultsMergeOnlyProvenIdentifiers() {
        #expect(policy.trust(.sameAccount) == .merge)
        #expect(policy.trust(.phone) == .merge)
        #expect(policy.trust(.emailVerified) == .merge)
        #expect(policy.trust(.wechatUnionID) == .merge)
        #expect(policy.trust(.shopCustomer) == .merge)
        #expect(policy.trust(.email) == .propose)
        #expect(policy.trust(.namePhoneSuffix) == .propose)
        let strict = IdentityPolicy(defaultRegion: "CN", autoMerge: [], propose: [.email])
        #expect(strict.trust(.emailVerified) == .propose)
        #expect(strict.trust(.phone) == .ignore)
        #expect(IdentityPolicy(defaultRegion: "CN", autoMerge: [.email], propose: []).trust(.emailVerified) == .merge)
    }

    @Test func unknownSenderIsANewCustomerWithEveryKey() {
        let keys = [key(.webVisitor, "web:v1"), key(.email, "ann@example.com", verified: false)]
        let resolution = IdentityResolver.resolve(keys: keys, matches: [], context: .init(), policy: policy)
        #expect(resolution.target == .newCustomer)
        #expect(resolution.attach == keys)
        #expect(resolution.merges.isEmpty && resolution.proposals.isEmpty)
    }

    @Test func returningAccountAttachesNewIdentifiersToItsHome() {
        let visitor = key(.webVisitor, "web:v1")
        let phone = key(.phone, "+8613800138000", verified: false)
        let resolution = IdentityResolver.resolve(
            keys: [visitor, phone], matches: [match(visitor, id: 10, home: 7, root: 2)], context: .init(), policy: policy)
        #expect(resolution.target == .existing(home: 7, root: 2))
        #expect(resolution.attach == [phone])
        #expect(resolution.touch == [10])
    }

    @Test func strongMatchOnAnotherCustomerMergesIntoTheOlder() {
        let visitor = key(.webVisitor, "web:v1")
        let phone = key(.phone, "+8613800138000")
        let resolution = IdentityResolver.resolve(
            keys: [visitor, phone], matches: [match(visitor, id: 10, home: 5), match(phone, id: 11, home: 3)], context: .init(),
            policy: policy)
        #expect(resolution.target == .existing(home: 5, root: 3))
        #expect(resolution.merges == [PlannedMerge(survivor: 3, absorbed: 5, rule: .phone, evidence: "phone +8613800138000")])
        #expect(resolution.attach.isEmpty)
        #expect(Set(resolution.touch) == [10, 11])
    }

    @Test func typedEmailOnlyProposes() {
        let mail = key(.email, "ann@example.com", verified: true)
        let resolution = IdentityResolver.resolve(
            keys: [mail], matches: [match(mail, id: 4, home: 9, verified: false)], context: .init(), policy: policy)
        #expect(resolution.target == .newCustomer)
        #expect(resolution.proposals == [PlannedProposal(other: 9, rule: .email, evidence: "email ann@example.com")])
        // The verified address is recorded on the new customer too; the typed claim is not upgraded.
        #expect(resolution.attach == [mail])
        #expect(resolution.verify.isEmpty)
    }

    @Test func emailVerifiedOnBothSidesMerges() {
        let mail = key(.email, "ann@example.com")
        let resolution = IdentityResolver.resolve(
            keys: [mail], matches: [match(mail, id: 4, home: 9)], context: .init(), policy: policy)
        #expect(resolution.target == .existing(home: 9, root: 9))
        #expect(resolution.proposals.isEmpty)
    }

    @Test func manifestMayTrustTypedEmails() {
        let trusting = IdentityPolicy(defaultRegion: "CN", autoMerge: [.email], propose: [])
        let visitor = key(.webVisitor, "web:v2")
        let typed = key(.email, "ann@example.com", verified: false)
        let resolution = IdentityResolver.resolve(
            keys: [visitor, typed], matches: [match(visitor, id: 1, home: 12), match(typed, id: 2, home: 9, verified: true)],
            context: .init(), policy: trusting)
        #expect(resolution.merges.map(\.absorbed) == [12])
        #expect(resolution.target == .existing(home: 12, root: 9))
    }

    @Test func conflictingVerifiedEmailsNeverMergeAutomatically() {
        let visitor = key(.webVisitor, "web:v1")
        let phone = key(.phone, "+14155550100")
        let context = ResolutionContext(evidence: [
            5: [key(.email, "ann@example.com")],
            3: [key(.email, "bob@example.com"), key(.phone, "+14155550100")],
        ])
        let resolution = IdentityResolver.resolve(
            keys: [visitor, phone], matches: [match(visitor, id: 1, home: 5), match(phone, id: 2, home: 3)], context: context,
            policy: policy)
        #expect(resolution.merges.isEmpty)
        #expect(resolution.target == .existing(home: 5, root: 5))
        #expect(resolution.proposals.count == 1)
        #expect(resolution.proposals.first?.other == 3)
        #expect(resolution.proposals.first?.evidence.contains("different verified emails") == true)
        // The phone stays with the customer that already holds it.
        #expect(resolution.attach.isEmpty)
    }

    @Test func aNewSenderWhoseShopAccountConflictsIsNotFoldedIn() {
        let order = [key(.shopCustomer, "shop:2002"), key(.phone, "+8613800138000")]
        let context = ResolutionContext(evidence: [3: [key(.shopCustomer, "shop:1001")]])
        let resolution = IdentityResolver.resolve(
            keys: order, matches: [match(order[1], id: 8, home: 3)], context: context, policy: policy)
        #expect(resolution.target == .newCustomer)
        #expect(resolution.proposals.map(\.other) == [3])
        #expect(resolution.attach == [order[0]])
        // Another shop's ids are not in conflict.
        #expect(IdentityResolver.conflict([key(.shopCustomer, "a:1")], [key(.shopCustomer, "b:2")]) == nil)
        #expect(IdentityResolver.conflict([key(.email, "a@x.com", verified: false)], [key(.email, "b@x.com")]) == nil)
        #expect(IdentityResolver.conflict([key(.email, "a@x.com"), key(.email, "b@x.com")], [key(.email, "b@x.com")]) == nil)
        #expect(IdentityResolver.conflict([key(.wechatUnionID, "u1")], [key(.wechatUnionID, "u2")]) == "different WeChat unionids")
    }

    @Test func separatedCustomersAreNeitherMergedNorProposedAgain() {
        let visitor = key(.webVisitor, "web:v1")
        let phone = key(.phone, "+8613800138000")
        let typed = key(.email, "ann@example.com", verified: false)
        let resolution = IdentityResolver.resolve(
            keys: [visitor, phone, typed],
            matches: [match(visitor, id: 1, home: 5), match(phone, id: 2, home: 3), match(typed, id: 3, home: 3, verified: false)],
            context: ResolutionContext(separated: [CustomerPair(5, 3)]), policy: policy)
        #expect(resolution.target == .existing(home: 5, root: 5))
        #expect(resolution.merges.isEmpty && resolution.proposals.isEmpty)
        #expect(resolution.attach == [typed])
    }

    @Test func aConflictWithASeparatedCustomerIsNotProposedAgain() {
        let phone = key(.phone, "+8613800138000")
        let mail = key(.email, "bob@example.com")
        let context = ResolutionContext(
            evidence: [3: [key(.email, "ann@example.com")], 5: [key(.email, "bob@example.com")]], separated: [CustomerPair(3, 5)])
        let resolution = IdentityResolver.resolve(
            keys: [mail, phone], matches: [match(phone, id: 1, home: 3), match(mail, id: 2, home: 5)], context: context, policy: policy)
        #expect(resolution.target == .existing(home: 5, root: 5))
        #expect(resolution.proposals.isEmpty && resolution.merges.isEmpty)
    }

    @Test func threeCustomersJoinedByOneEventEndUnderTheOldest() {
        let keys = [key(.wechatOpenID, "wx:o1"), key(.wechatUnionID, "u1"), key(.phone, "+8613800138000")]
        let resolution = IdentityResolver.resolve(
            keys: keys, matches: [match(keys[0], id: 1, home: 9), match(keys[1], id: 2, home: 4), match(keys[2], id: 3, home: 6)],
            context: .init(), policy: policy)
        #expect(resolution.merges.map { [$0.survivor, $0.absorbed] } == [[4, 9], [4, 6]])
        #expect(resolution.target == .existing(home: 9, root: 4))
    }

    @Test func unnormalisedIdentifiersNeverMatch() {
        let masked = IdentityKey(kind: .phone, value: "138****8000", verified: true, comparable: false)
        let resolution = IdentityResolver.resolve(
            keys: [masked], matches: [match(masked, id: 1, home: 2)], context: .init(), policy: policy)
        #expect(resolution.target == .newCustomer)
    }

    @Test func aSightingVerifiesOnlyItsOwnHomesIdentifier() {
        let account = key(.wechatOpenID, "wx:o1")
        let mail = key(.email, "ann@example.com", verified: true)
        let resolution = IdentityResolver.resolve(
            keys: [account, mail],
            matches: [match(account, id: 1, home: 4, root: 2), match(mail, id: 2, home: 4, root: 2, verified: false)],
            context: .init(), policy: policy)
        #expect(resolution.verify == [2])
    }
}
