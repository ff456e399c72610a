import HubCore
import HubCurl

/// `kind: sms`: an SMS/MMS number on a Twilio-compatible provider.
public enum SMSKind: ChannelKind {
    public static let name = "sms"

    public static let settingsSchema = SettingsSchema([
        SettingSpec("account_sid", .string, required: true),
        SettingSpec("auth_token", .secret, required: true),
        SettingSpec("from", .string),
        SettingSpec("messaging_service_sid", .string),
        SettingSpec("api_base", .url(schemes: ["http", "https"]), default: .string("https://api.twilio.com")),
        SettingSpec("status_callbacks", .boolean, default: .boolean(true)),
        SettingSpec("help_reply", .string),
    ])

    public static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        let settings = channel.settings
        guard settings.string("from") != nil || settings.string("messaging_service_sid") != nil else {
            throw HubError(
                .badRequest, code: "invalid_setting", message: "channel '\(channel.id)': set 'from' or 'messaging_service_sid'")
        }
        var apiBase = settings.string("api_base") ?? "https://api.twilio.com"
        if apiBase.hasSuffix("/") { apiBase.removeLast() }
        return SMSAdapter(
            channelID: channel.id, accountSID: settings.string("account_sid") ?? "", authToken: settings.string("auth_token") ?? "",
            from: settings.string("from"), messagingServiceSID: settings.string("messaging_service_sid"), apiBase: apiBase,
            statusCallbackURL: settings.boolean("status_callbacks") == false ? nil : "\(services.publicBaseURL)/hooks/\(channel.id)",
            helpReply: settings.string("help_reply"), curl: try services.shared(CurlClient.self).lane(channel.id))
    }
}
