import HubCore
import HubServer

extension ChannelKindRegistry {
    /// Every kind this executable knows: the hub's own and the plug-ins Package.swift's
    /// `channelPlugins` list links, which the build writes into `CompiledChannelKinds`.
    static let executable = ChannelKindRegistry.hub(compiled: CompiledChannelKinds.all)
}
