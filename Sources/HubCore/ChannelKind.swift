/// A kind of channel (`webchat`, `wechat`, …): what the manifest's `kind:` selects.
///
/// A plug-in under `Plugins/<Name>/` declares one kind, `<Name>Kind`, and is listed once in
/// `Package.swift`'s `channelPlugins`; the build generates the executable's registry from
/// that list (README, "Adding a channel kind").
///
/// ```swift
/// public enum AcmeKind: ChannelKind {
///     public static let name = "acme"
///     public static let settingsSchema = SettingsSchema([SettingSpec("secret", .secret, required: true)])
///
///     public static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError)
///         -> any ChannelAdapter
///     {
///         let settings = try channel.settings.decode(AcmeSettings.self, channel: channel.id)
///         return AcmeAdapter(channelID: channel.id, secret: settings.secret,
///                            curl: try services.shared(CurlClient.self).lane(channel.id))
///     }
/// }
/// ```
package protocol ChannelKind: Sendable {
    /// The name used as `kind:` in the manifest: lower-case, unique in the build.
    static var name: String { get }
    /// The settings the kind accepts. The manifest loader checks each channel's `settings:`
    /// against it (types, `${ENV}` for secrets, required keys) and fills in defaults, so
    /// ``makeAdapter(for:services:)`` sees only valid settings.
    static var settingsSchema: SettingsSchema { get }

    /// Creates the adapter for one configured channel, once, when the hub starts.
    /// - Parameters:
    ///   - channel: the channel's manifest block, its settings already validated.
    ///   - services: what the hub lends: the shared HTTP client, a logger with the channel's
    ///     metadata, a clock, live sessions and the public base URL.
    /// - Returns: the channel's adapter.
    /// - Throws: ``HubError`` `invalid_setting` for what the schema cannot say (two settings
    ///   that exclude each other, a key of the wrong length); the hub then refuses to start
    ///   and names the channel.
    static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter

    /// Whether a channel of this kind names a plug-in file (`plugin:`) that describes it;
    /// `false` by default.
    static var takesPluginFile: Bool { get }

    /// Reads and validates a declarative plug-in file.
    /// - Parameter path: the file, resolved against the manifest's folder.
    /// - Returns: the settings the file declares, or every problem in it, located in that
    ///   file. The default returns ``settingsSchema``.
    static func loadPlugin(path: String) -> Result<SettingsSchema, ManifestReport>

    /// Problems between settings that each passed the schema (a mailbox named twice).
    /// - Parameter settings: the channel's settings as validated so far (a required one may
    ///   be missing when it had its own problem).
    /// - Returns: `(key, message)` pairs, reported at that key by `tributary check`; none by
    ///   default.
    static func settingProblems(_ settings: ChannelSettings) -> [(key: String, message: String)]
}

extension ChannelKind {
    package static var takesPluginFile: Bool { false }

    package static func loadPlugin(path: String) -> Result<SettingsSchema, ManifestReport> {
        .success(settingsSchema)
    }

    package static func settingProblems(_ settings: ChannelSettings) -> [(key: String, message: String)] {
        []
    }
}

/// The channel kinds one build of the hub knows, looked up by manifest name.
package struct ChannelKindRegistry: Sendable {
    private var kinds: [String: any ChannelKind.Type]

    package init(_ kinds: [any ChannelKind.Type]) {
        self.kinds = Dictionary(kinds.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The kind registered under `name`.
    package func kind(named name: String) -> (any ChannelKind.Type)? {
        kinds[name]
    }

    /// All registered names, sorted, for error messages.
    package var names: [String] { kinds.keys.sorted() }
}
