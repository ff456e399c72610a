package import HubCore

/// The settings of a `marketplace` channel, decoded once from the manifest.
package struct MarketplaceSettings: ChannelKindSettings {
    package static let schema = SettingsSchema([
        SettingSpec("shop_domain", .string, required: true),
        SettingSpec("webhook_secrets", .secretList, required: true),
        SettingSpec("access_token", .secret),
        SettingSpec("api_base", .url(schemes: ["http", "https"])),
        SettingSpec("api_version", .string, default: .string("2025-01")),
        SettingSpec("poll_interval", .duration, default: .duration(.seconds(60))),
        SettingSpec("poll_overlap", .duration, default: .duration(.seconds(300))),
        SettingSpec("page_size", .integer(1...250), default: .integer(250)),
    ])

    var shopDomain: String
    /// Several during a secret rotation; a webhook verifying against any one is accepted.
    var webhookSecrets: [String]
    /// Without it the hub takes webhooks but cannot poll the orders API.
    var accessToken: String?
    /// The shop's own domain when not set.
    var apiBase: String?
    var apiVersion: String
    var pollInterval: Duration
    var pollOverlap: Duration
    var pageSize: Int

    enum CodingKeys: String, CodingKey {
        case shopDomain = "shop_domain"
        case webhookSecrets = "webhook_secrets"
        case accessToken = "access_token"
        case apiBase = "api_base"
        case apiVersion = "api_version"
        case pollInterval = "poll_interval"
        case pollOverlap = "poll_overlap"
        case pageSize = "page_size"
    }
}
