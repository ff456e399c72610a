import HubCore

/// The hub's own web chat: a widget on the customer's site talks to `/chat/{id}`
/// over a WebSocket, or plain HTTP where a socket cannot be opened.
public enum WebChatKind: ChannelKind {
    public static let name = "webchat"

    public static let settingsSchema = SettingsSchema([
        SettingSpec("allowed_origins", .stringList, default: .list(["*"])),
        SettingSpec("max_text_length", .integer(1...100_000), default: .integer(4000)),
        SettingSpec("title", .string, default: .string("Chat with us")),
    ])

    public static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        WebChatAdapter(
            channelID: channel.id,
            allowedOrigins: channel.settings.list("allowed_origins") ?? ["*"],
            maxTextLength: channel.settings.integer("max_text_length") ?? 4000,
            title: channel.settings.string("title") ?? "Chat with us",
            live: services.live)
    }
}
