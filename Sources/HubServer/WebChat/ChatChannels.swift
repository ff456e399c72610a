import HubCore

/// The manifest's web chat channels, in its order: what the chat endpoints and the widget's
/// demo page look up.
struct ChatChannels: Sendable {
    private let channels: [WebChatAdapter]

    init(manifest: Manifest, adapters: [ChannelID: any ChannelAdapter]) {
        channels = manifest.channels.compactMap { adapters[$0.id] as? WebChatAdapter }
    }

    /// The web chat adapter of `channelID`; `404` for unknown and non-chat channels.
    func channel(_ channelID: ChannelID) throws(HubError) -> WebChatAdapter {
        guard let adapter = channels.first(where: { $0.channelID == channelID }) else {
            throw HubError.notFound("unknown_channel", "channel '\(channelID)' is not a web chat channel")
        }
        return adapter
    }

    /// The first web chat channel, which the demo page shows when none is named.
    var first: WebChatAdapter? { channels.first }

    /// Whether `channelID` is a web chat channel (whose live sessions the channel list counts).
    func contains(_ channelID: ChannelID) -> Bool {
        channels.contains { $0.channelID == channelID }
    }
}
