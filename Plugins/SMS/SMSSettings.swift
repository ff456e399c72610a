package import HubCore

/// The settings of an `sms` channel, decoded once from the manifest.
package struct SMSSettings: ChannelKindSettings {
    package static let schema = SettingsSchema([
        SettingSpec("account_sid", .string, required: true),
        SettingSpec("auth_token", .secret, required: true),
        SettingSpec("from", .string),
        SettingSpec("messaging_service_sid", .string),
        SettingSpec("api_base", .url(schemes: ["http", "https"]), default: .string("https://api.twilio.com")),
        SettingSpec("status_callbacks", .boolean, default: .boolean(true)),
        SettingSpec("help_reply", .string),
    ])

    var accountSID: String
    var authToken: String
    var from: String?
    var messagingServiceSID: String?
    var apiBase: String
    var statusCallbacks: Bool
    var helpReply: String?

    enum CodingKeys: String, CodingKey {
        case accountSID = "account_sid"
        case authToken = "auth_token"
        case from
        case messagingServiceSID = "messaging_service_sid"
        case apiBase = "api_base"
        case statusCallbacks = "status_callbacks"
        case helpReply = "help_reply"
    }
}
