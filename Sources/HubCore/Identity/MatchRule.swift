/// Why two sightings are taken to be the same person; the manifest's
/// `identity.auto_merge` and `identity.propose` list these names.
public struct MatchRule: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The same channel-scoped account (web visitor, WeChat openid, CRM id): always one customer.
    public static let sameAccount = MatchRule(rawValue: "same_account")
    public static let phone = MatchRule(rawValue: "phone")
    /// An email where one side was not verified (typed into a form, an unauthenticated mail).
    public static let email = MatchRule(rawValue: "email")
    /// An email that both sides verified.
    public static let emailVerified = MatchRule(rawValue: "email_verified")
    public static let wechatUnionID = MatchRule(rawValue: "wechat_unionid")
    public static let shopCustomer = MatchRule(rawValue: "shop_customer")
    public static let namePhoneSuffix = MatchRule(rawValue: "name_phone_suffix")

    /// The rule names a manifest may use.
    public static let configurable: [MatchRule] = [.phone, .email, .emailVerified, .wechatUnionID, .shopCustomer, .namePhoneSuffix]

    public var description: String { rawValue }
}
