import Foundation
package import HubCore
import HubCurl

/// `kind: webhook`: a channel described by a plug-in file (`plugin:`), such as
/// `Plugins/Telegram/telegram.yaml`, with no Swift of its own.
package enum WebhookKind: ChannelKind {
    package static let name = "webhook"
    package static let settingsSchema = SettingsSchema([])
    package static let takesPluginFile = true

    package static func loadPlugin(path: String) -> Result<SettingsSchema, ManifestReport> {
        WebhookPluginLoader.load(path: path).map(\.settings)
    }

    package static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        guard let path = channel.plugin else {
            throw HubError(.badRequest, code: "missing_plugin", message: "channel '\(channel.id)' names no plug-in file")
        }
        let plugin: WebhookPlugin
        switch WebhookPluginLoader.load(path: path) {
        case .success(let loaded): plugin = loaded
        case .failure(let report):
            throw HubError(.badRequest, code: "invalid_plugin", message: report.description)
        }
        var values: [String: String] = [:]
        for (name, value) in channel.settings.values {
            values["settings.\(name)"] =
                switch value {
                case .string(let text): text
                case .integer(let number): String(number)
                case .boolean(let flag): flag ? "true" : "false"
                case .duration(let duration): "\(duration.components.seconds)"
                case .list(let items): items.joined(separator: ",")
                }
        }
        let scheme: InboundAuthenticator.Scheme
        switch plugin.auth {
        case .headerSecret(let header, let secret):
            scheme = .headerSecret(header: header, secret: secret.render(values))
        case .hmac(let algorithm, let header, let encoding, let prefix, let secret):
            scheme = .hmac(algorithm: algorithm, header: header, encoding: encoding, prefix: prefix, key: Array(secret.render(values).utf8))
        case .standardWebhooks(let secret, let tolerance):
            guard let key = StandardWebhooks.key(fromSecret: secret.render(values)) else {
                throw HubError(
                    .badRequest, code: "invalid_setting",
                    message: "channel '\(channel.id)': the Standard Webhooks secret must be whsec_ and base64")
            }
            let seconds = TimeInterval(tolerance.components.seconds)
            scheme = .standardWebhooks(key: key, tolerance: seconds, replays: ReplayGuard(window: seconds))
        }
        if case .headerSecret(_, let secret) = scheme, secret.isEmpty {
            throw HubError(.badRequest, code: "invalid_setting", message: "channel '\(channel.id)': the inbound secret is empty")
        }
        return WebhookAdapter(
            channelID: channel.id, plugin: plugin, authenticator: InboundAuthenticator(scheme: scheme), settingValues: values,
            curl: try services.shared(CurlClient.self).lane(channel.id))
    }
}
