package import HubCore
import HubCurl

/// `kind: sms`: an SMS/MMS number on a Twilio-compatible provider.
package enum SMSKind: TypedChannelKind {
    package static let name = "sms"

    package static func makeAdapter(for channel: ChannelConfig, settings: SMSSettings, services: AdapterServices) throws(HubError)
        -> any ChannelAdapter
    {
        guard settings.from != nil || settings.messagingServiceSID != nil else {
            throw HubError(
                .badRequest, code: "invalid_setting", message: "channel '\(channel.id)': set 'from' or 'messaging_service_sid'")
        }
        return SMSAdapter(
            channelID: channel.id, accountSID: settings.accountSID, authToken: settings.authToken,
            from: settings.from, messagingServiceSID: settings.messagingServiceSID, apiBase: settings.apiBase.trimmingSuffix("/"),
            statusCallbackURL: settings.statusCallbacks ? "\(services.publicBaseURL)/hooks/\(channel.id)" : nil,
            helpReply: settings.helpReply, curl: try services.shared(CurlClient.self).lane(channel.id))
    }
}
