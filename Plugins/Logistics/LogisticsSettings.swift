package import HubCore

/// The settings of a `tracking` channel, decoded once from the manifest.
package struct LogisticsSettings: ChannelKindSettings {
    package static let schema = SettingsSchema([
        SettingSpec("customer", .string, required: true),
        SettingSpec("key", .secret, required: true),
        SettingSpec("salt", .secret, required: true),
        SettingSpec("api_base", .url(schemes: ["http", "https"]), default: .string("https://poll.kuaidi100.com")),
        SettingSpec("query_carriers", .stringList, default: .list([])),
        SettingSpec("query_interval", .duration, default: .duration(.seconds(1800))),
    ])

    var customer: String
    var key: String
    var salt: String
    var apiBase: String
    /// Carriers whose parcels are polled, for those that do not push.
    var queryCarriers: [String]
    var queryInterval: Duration

    enum CodingKeys: String, CodingKey {
        case customer, key, salt
        case apiBase = "api_base"
        case queryCarriers = "query_carriers"
        case queryInterval = "query_interval"
    }
}
