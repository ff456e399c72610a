import HubCore

/// The adapters of the manifest's channels, by channel id.
struct ChannelAdapters: Sendable {
    let byID: [ChannelID: any ChannelAdapter]

    /// The adapter of a declared channel; `404` otherwise.
    func adapter(_ channelID: ChannelID) throws(HubError) -> any ChannelAdapter {
        guard let adapter = byID[channelID] else {
            throw HubError.notFound("unknown_channel", "no channel '\(channelID)' in the manifest")
        }
        return adapter
    }

    subscript(_ channelID: ChannelID) -> (any ChannelAdapter)? { byID[channelID] }
}
