import Foundation
package import HubCore
import HubCurl

/// `kind: wechat`: a WeChat official account (公众号).
package enum WeChatKind: TypedChannelKind {
    package static let name = "wechat"

    package static func makeAdapter(for channel: ChannelConfig, settings: WeChatSettings, services: AdapterServices) throws(HubError)
        -> any ChannelAdapter
    {
        var crypto: WeChatCrypto?
        if let key = settings.encodingAESKey {
            guard let configured = WeChatCrypto(encodingAESKey: key, appID: settings.appID) else {
                throw HubError(
                    .badRequest, code: "invalid_setting",
                    message: "channel '\(channel.id)': encoding_aes_key must be the 43 characters WeChat shows")
            }
            crypto = configured
        }
        return WeChatAdapter(
            channelID: channel.id, appID: settings.appID, appSecret: settings.appSecret, token: settings.token,
            crypto: crypto, welcomeReply: settings.welcomeReply,
            timestampTolerance: TimeInterval(settings.timestampTolerance.components.seconds),
            apiBase: settings.apiBase.trimmingSuffix("/"),
            curl: try services.shared(CurlClient.self).lane(channel.id), clock: services.clock)
    }
}
