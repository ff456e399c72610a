package import HubCore

/// The settings of a `webchat` channel, decoded once from the manifest.
package struct WebChatSettings: ChannelKindSettings {
    package static let schema = SettingsSchema([
        SettingSpec("allowed_origins", .stringList, default: .list(["*"])),
        SettingSpec("max_text_length", .integer(1...100_000), default: .integer(4000)),
        SettingSpec("title", .string, default: .string("Chat with us")),
    ])

    /// `Origin` values a widget may open the socket from; `*` for any.
    var allowedOrigins: [String]
    var maxTextLength: Int
    /// Shown in the widget's header.
    var title: String

    enum CodingKeys: String, CodingKey {
        case allowedOrigins = "allowed_origins"
        case maxTextLength = "max_text_length"
        case title
    }
}
