package import HubCore

/// The fixture's one setting: the shared key its webhooks carry.
package struct LoopbackSettings: ChannelKindSettings {
    package static let schema = SettingsSchema([SettingSpec("key", .secret, required: true)])

    var key: String
}
