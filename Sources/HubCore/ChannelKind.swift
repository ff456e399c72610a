/// A kind of channel (`webchat`, `wechat`, …): what the manifest's `kind:` selects.
///
/// A plug-in declares one kind; the executable registers it in one line.
public protocol ChannelKind: Sendable {
    /// The name used as `kind:` in the manifest.
    static var name: String { get }
    /// The settings the kind accepts, validated when the manifest loads.
    static var settingsSchema: SettingsSchema { get }
    /// Creates the adapter for one configured channel.
    static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter

    /// Whether a channel of this kind names a plug-in file (`plugin:`) that describes it.
    static var takesPluginFile: Bool { get }

    /// Reads and validates a declarative plug-in file; returns the settings it
    /// declares, or every problem in it (located in that file).
    static func loadPlugin(path: String) -> Result<SettingsSchema, ManifestReport>

    /// Problems between settings that each passed the schema (a mailbox named twice):
    /// `(key, message)` pairs, reported at that key by `tributary check`.
    static func settingProblems(_ settings: ChannelSettings) -> [(key: String, message: String)]
}

extension ChannelKind {
    public static var takesPluginFile: Bool { false }

    public static func loadPlugin(path: String) -> Result<SettingsSchema, ManifestReport> {
        .success(settingsSchema)
    }

    public static func settingProblems(_ settings: ChannelSettings) -> [(key: String, message: String)] {
        []
    }
}

/// The channel kinds one build of the hub knows, looked up by manifest name.
public struct ChannelKindRegistry: Sendable {
    private var kinds: [String: any ChannelKind.Type]

    public init(_ kinds: [any ChannelKind.Type]) {
        self.kinds = Dictionary(kinds.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The kind registered under `name`.
    public func kind(named name: String) -> (any ChannelKind.Type)? {
        kinds[name]
    }

    /// All registered names, sorted, for error messages.
    public var names: [String] { kinds.keys.sorted() }
}
