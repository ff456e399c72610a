/// The kinds of customer identifier the hub knows.
///
/// Channel-scoped kinds carry their scope in the value (`web:visitor`,
/// `appid:openid`, `shop:customer`) so that equal values always mean one account.
package struct IdentityKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    /// A web chat visitor, scoped to its channel: `channel:visitor`.
    package static let webVisitor = IdentityKind(rawValue: "web_visitor")
    /// A WeChat follower, scoped to the official account: `appid:openid`.
    package static let wechatOpenID = IdentityKind(rawValue: "wechat_openid")
    /// A WeChat user across every app of one open-platform account.
    package static let wechatUnionID = IdentityKind(rawValue: "wechat_unionid")
    /// A shop's or marketplace's customer id, scoped to the shop: `shop:id`.
    package static let shopCustomer = IdentityKind(rawValue: "shop_customer")
    /// An id from an imported CRM, scoped to the import source: `source:id`.
    package static let externalID = IdentityKind(rawValue: "external_id")
    /// An email address, lower-cased and trimmed.
    package static let email = IdentityKind(rawValue: "email")
    /// A phone number in E.164.
    package static let phone = IdentityKind(rawValue: "phone")
    /// A folded name with the last four digits of a phone (`ann lee|8000`), derived
    /// so that masked marketplace phones such as `138****8000` can still suggest a match.
    package static let namePhoneSuffix = IdentityKind(rawValue: "name_phone_suffix")

    package var description: String { rawValue }

    /// The rule that decides what a match on this kind means, given whether the
    /// new sighting and the stored identifier were verified.
    package func matchRule(hintVerified: Bool, storedVerified: Bool) -> MatchRule {
        switch self {
        case .phone: .phone
        case .email: hintVerified && storedVerified ? .emailVerified : .email
        case .wechatUnionID: .wechatUnionID
        case .shopCustomer: .shopCustomer
        case .namePhoneSuffix: .namePhoneSuffix
        default: .sameAccount
        }
    }

    /// For identifiers a person has only one of within a scope, that scope:
    /// two customers holding different values in one scope are probably two people.
    package func conflictScope(value: String, verified: Bool) -> String? {
        switch self {
        case .email: verified ? "email" : nil
        case .wechatUnionID: "wechat_unionid"
        case .shopCustomer: "shop_customer:" + (value.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "")
        default: nil
        }
    }
}
