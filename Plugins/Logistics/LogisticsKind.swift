import HubCore
import HubCurl

/// `kind: tracking`: parcel tracking through a Kuaidi100-style provider.
public enum LogisticsKind: ChannelKind {
    public static let name = "tracking"

    public static let settingsSchema = SettingsSchema([
        SettingSpec("customer", .string, required: true),
        SettingSpec("key", .secret, required: true),
        SettingSpec("salt", .secret, required: true),
        SettingSpec("api_base", .url(schemes: ["http", "https"]), default: .string("https://poll.kuaidi100.com")),
        SettingSpec("query_carriers", .stringList, default: .list([])),
        SettingSpec("query_interval", .duration, default: .duration(.seconds(1800))),
    ])

    public static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        let settings = channel.settings
        var apiBase = settings.string("api_base") ?? "https://poll.kuaidi100.com"
        if apiBase.hasSuffix("/") { apiBase.removeLast() }
        return Kuaidi100Adapter(
            channelID: channel.id, customer: settings.string("customer") ?? "", key: settings.string("key") ?? "",
            salt: settings.string("salt") ?? "", apiBase: apiBase, callbackURL: "\(services.publicBaseURL)/hooks/\(channel.id)",
            queryCarriers: Set(settings.list("query_carriers") ?? []), queryInterval: settings.duration("query_interval") ?? .seconds(1800),
            curl: try services.shared(CurlClient.self).lane(channel.id))
    }
}
