/// Why two sightings are taken to be the same person; the manifest's
/// `identity.auto_merge` and `identity.propose` list these names.
package struct MatchRule: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    /// The same channel-scoped account (web visitor, WeChat openid, CRM id): always one customer.
    package static let sameAccount = MatchRule(rawValue: "same_account")
    package static let phone = MatchRule(rawValue: "phone")
    /// An email where one side was not verified (typed into a form, an unauthenticated mail).
    package static let email = MatchRule(rawValue: "email")
    /// An email that both sides verified.
    package static let emailVerified = MatchRule(rawValue: "email_verified")
    package static let wechatUnionID = MatchRule(rawValue: "wechat_unionid")
    package static let shopCustomer = MatchRule(rawValue: "shop_customer")
    package static let namePhoneSuffix = MatchRule(rawValue: "name_phone_suffix")

    /// The rule names a manifest may use.
    package static let configurable: [MatchRule] = [.phone, .email, .emailVerified, .wechatUnionID, .shopCustomer, .namePhoneSuffix]

    package var description: String { rawValue }
}
