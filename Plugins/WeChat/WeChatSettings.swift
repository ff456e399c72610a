package import HubCore

/// The settings of a `wechat` channel, decoded once from the manifest.
package struct WeChatSettings: ChannelKindSettings {
    package static let schema = SettingsSchema([
        SettingSpec("app_id", .string, required: true),
        SettingSpec("app_secret", .secret, required: true),
        SettingSpec("token", .secret, required: true),
        SettingSpec("encoding_aes_key", .secret),
        SettingSpec("api_base", .url(schemes: ["http", "https"]), default: .string("https://api.weixin.qq.com")),
        SettingSpec("welcome_reply", .string),
        SettingSpec("timestamp_tolerance", .duration, default: .duration(.seconds(300))),
    ])

    var appID: String
    var appSecret: String
    var token: String
    /// Set for safe (encrypted) mode.
    var encodingAESKey: String?
    var apiBase: String
    var welcomeReply: String?
    var timestampTolerance: Duration

    enum CodingKeys: String, CodingKey {
        case appID = "app_id"
        case appSecret = "app_secret"
        case token
        case encodingAESKey = "encoding_aes_key"
        case apiBase = "api_base"
        case welcomeReply = "welcome_reply"
        case timestampTolerance = "timestamp_tolerance"
    }
}
