package import HubCore
import HubCurl

/// `kind: tracking`: parcel tracking through a Kuaidi100-style provider.
package enum LogisticsKind: TypedChannelKind {
    package static let name = "tracking"

    package static func makeAdapter(for channel: ChannelConfig, settings: LogisticsSettings, services: AdapterServices) throws(HubError)
        -> any ChannelAdapter
    {
        return Kuaidi100Adapter(
            channelID: channel.id, customer: settings.customer, key: settings.key,
            salt: settings.salt, apiBase: settings.apiBase.trimmingSuffix("/"),
            callbackURL: "\(services.publicBaseURL)/hooks/\(channel.id)",
            queryCarriers: Set(settings.queryCarriers), queryInterval: settings.queryInterval,
            curl: try services.shared(CurlClient.self).lane(channel.id))
    }
}
