package import HubCore

/// The hub's own web chat: a widget on the customer's site talks to `/chat/{id}`
/// over a WebSocket, or plain HTTP where a socket cannot be opened.
package enum WebChatKind: ChannelKind {
    package static let name = "webchat"

    package static let settingsSchema = WebChatSettings.schema

    package static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        let settings = try channel.settings.decode(WebChatSettings.self, channel: channel.id)
        return WebChatAdapter(
            channelID: channel.id, allowedOrigins: settings.allowedOrigins, maxTextLength: settings.maxTextLength,
            title: settings.title, live: services.live)
    }
}
