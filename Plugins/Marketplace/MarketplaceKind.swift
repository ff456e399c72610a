import HubCore
import HubCurl

/// `kind: marketplace`: a shop speaking Shopify's webhook and REST orders wire format.
public enum MarketplaceKind: ChannelKind {
    public static let name = "marketplace"

    public static let settingsSchema = SettingsSchema([
        SettingSpec("shop_domain", .string, required: true),
        SettingSpec("webhook_secrets", .secretList, required: true),
        SettingSpec("access_token", .secret),
        SettingSpec("api_base", .url(schemes: ["http", "https"])),
        SettingSpec("api_version", .string, default: .string("2025-01")),
        SettingSpec("poll_interval", .duration, default: .duration(.seconds(60))),
        SettingSpec("poll_overlap", .duration, default: .duration(.seconds(300))),
        SettingSpec("page_size", .integer(1...250), default: .integer(250)),
    ])

    public static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        let settings = channel.settings
        let shop = settings.string("shop_domain") ?? ""
        var apiBase = settings.string("api_base") ?? "https://\(shop)"
        if apiBase.hasSuffix("/") { apiBase.removeLast() }
        let interval = settings.duration("poll_interval") ?? .seconds(60)
        let overlap = settings.duration("poll_overlap") ?? .seconds(300)
        return MarketplaceAdapter(
            channelID: channel.id, shopDomain: shop, webhookSecrets: settings.list("webhook_secrets") ?? [],
            accessToken: settings.string("access_token"), apiBase: apiBase, apiVersion: settings.string("api_version") ?? "2025-01",
            pageSize: settings.integer("page_size") ?? 250, overlap: Double(overlap.components.seconds),
            // Polling needs a token; `0s` turns the background pass off (`tributary sync` still works).
            pollInterval: settings.string("access_token") == nil || interval == .zero ? nil : interval,
            curl: try services.shared(CurlClient.self).lane(channel.id))
    }
}
