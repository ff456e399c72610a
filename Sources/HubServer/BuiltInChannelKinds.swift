package import HubCore

extension ChannelKindRegistry {
    /// The kinds the hub serves itself (web chat), together with the compiled plug-ins the
    /// executable links (its generated `CompiledChannelKinds`).
    package static func hub(compiled plugins: [any ChannelKind.Type]) -> ChannelKindRegistry {
        ChannelKindRegistry([WebChatKind.self] + plugins)
    }
}
