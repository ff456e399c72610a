package import HubCore

/// The hub's own web chat: a widget on the customer's site talks to `/chat/{id}`
/// over a WebSocket, or plain HTTP where a socket cannot be opened.
package enum WebChatKind: TypedChannelKind {
    package static let name = "webchat"

    package static func makeAdapter(for channel: ChannelConfig, settings: WebChatSettings, services: AdapterServices) throws(HubError)
        -> any ChannelAdapter
    {
        return WebChatAdapter(
            channelID: channel.id, allowedOrigins: settings.allowedOrigins, maxTextLength: settings.maxTextLength,
            title: settings.title, live: services.live)
    }
}
