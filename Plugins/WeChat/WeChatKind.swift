import Foundation
import HubCore
import HubCurl

/// `kind: wechat`: a WeChat official account (公众号).
public enum WeChatKind: ChannelKind {
    public static let name = "wechat"

    public static let settingsSchema = SettingsSchema([
        SettingSpec("app_id", .string, required: true),
        SettingSpec("app_secret", .secret, required: true),
        SettingSpec("token", .secret, required: true),
        SettingSpec("encoding_aes_key", .secret),
        SettingSpec("api_base", .url(schemes: ["http", "https"]), default: .string("https://api.weixin.qq.com")),
        SettingSpec("welcome_reply", .string),
        SettingSpec("timestamp_tolerance", .duration, default: .duration(.seconds(300))),
    ])

    public static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        let settings = channel.settings
        let appID = settings.string("app_id") ?? ""
        var crypto: WeChatCrypto?
        if let key = settings.string("encoding_aes_key") {
            guard let configured = WeChatCrypto(encodingAESKey: key, appID: appID) else {
                throw HubError(
                    .badRequest, code: "invalid_setting",
                    message: "channel '\(channel.id)': encoding_aes_key must be the 43 characters WeChat shows")
            }
            crypto = configured
        }
        let tolerance = settings.duration("timestamp_tolerance") ?? .seconds(300)
        return WeChatAdapter(
            channelID: channel.id, appID: appID, appSecret: settings.string("app_secret") ?? "", token: settings.string("token") ?? "",
            crypto: crypto, welcomeReply: settings.string("welcome_reply"),
            timestampTolerance: TimeInterval(tolerance.components.seconds),
            apiBase: (settings.string("api_base") ?? "https://api.weixin.qq.com").trimmingSuffix("/"),
            curl: try services.shared(CurlClient.self).lane(channel.id))
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
