package import HubCore

/// A fixture channel kind, added to the build the documented way (this folder and one line of
/// `fixturePlugins` in Package.swift), so that a test proves the way works: `POST /hooks/{id}`
/// with `{"id", "from", "text"}` and the header `X-Loopback-Key`, and replies that count as
/// delivered at once.
package enum LoopbackKind: TypedChannelKind {
    package static let name = "loopback"

    package static func makeAdapter(for channel: ChannelConfig, settings: LoopbackSettings, services: AdapterServices)
        throws(HubError) -> any ChannelAdapter
    {
        LoopbackAdapter(channelID: channel.id, key: settings.key)
    }
}
