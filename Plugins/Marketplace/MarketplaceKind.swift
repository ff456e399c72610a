package import HubCore
import HubCurl

/// `kind: marketplace`: a shop speaking Shopify's webhook and REST orders wire format.
package enum MarketplaceKind: TypedChannelKind {
    package static let name = "marketplace"

    package static func makeAdapter(for channel: ChannelConfig, settings: MarketplaceSettings, services: AdapterServices) throws(HubError)
        -> any ChannelAdapter
    {
        let interval = settings.pollInterval
        return MarketplaceAdapter(
            channelID: channel.id, shopDomain: settings.shopDomain, webhookSecrets: settings.webhookSecrets,
            accessToken: settings.accessToken, apiBase: (settings.apiBase ?? "https://\(settings.shopDomain)").trimmingSuffix("/"),
            apiVersion: settings.apiVersion, pageSize: settings.pageSize, overlap: Double(settings.pollOverlap.components.seconds),
            // Polling needs a token; `0s` turns the background pass off (`tributary sync` still works).
            pollInterval: settings.accessToken == nil || interval == .zero ? nil : interval,
            curl: try services.shared(CurlClient.self).lane(channel.id))
    }
}
