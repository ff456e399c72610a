/// A channel kind's settings as one `Decodable` struct that carries its own schema.
package protocol ChannelKindSettings: Decodable {
    /// What the manifest accepts; the loader checks it and fills in the defaults.
    static var schema: SettingsSchema { get }
}

/// A ``ChannelKind`` whose settings decode once into ``Settings``: the schema comes from the
/// settings struct, and the adapter is made from the decoded value, so a kind never looks a
/// setting up by name.
///
/// ```swift
/// enum AcmeKind: TypedChannelKind {
///     static let name = "acme"
///     static func makeAdapter(for channel: ChannelConfig, settings: AcmeSettings, services: AdapterServices)
///         throws(HubError) -> any ChannelAdapter
///     {
///         AcmeAdapter(channelID: channel.id, secret: settings.secret)
///     }
/// }
/// ```
package protocol TypedChannelKind: ChannelKind {
    associatedtype Settings: ChannelKindSettings

    /// Creates the adapter for one configured channel from its decoded settings.
    /// - Parameters:
    ///   - channel: the channel's manifest block.
    ///   - settings: its settings, checked against ``ChannelKindSettings/schema`` and decoded.
    ///   - services: what the hub lends (see ``ChannelKind/makeAdapter(for:services:)``).
    /// - Throws: ``HubError`` `invalid_setting` for what the schema cannot say.
    static func makeAdapter(for channel: ChannelConfig, settings: Settings, services: AdapterServices) throws(HubError)
        -> any ChannelAdapter
}

extension TypedChannelKind {
    package static var settingsSchema: SettingsSchema { Settings.schema }

    package static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        try makeAdapter(for: channel, settings: try channel.settings.decode(Settings.self, channel: channel.id), services: services)
    }
}
