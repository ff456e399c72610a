import Foundation
import PackagePlugin

/// Writes `CompiledChannelKinds.swift` for the target it is applied to, listing the channel
/// plug-ins that target depends on: every dependency whose folder sits in a `Plugins/` folder
/// (`Plugins/<Name>`, or `Tests/Fixtures/Plugins/<Name>` for fixture kinds) is a module that
/// declares `<Name>Kind`. Package.swift's `channelPlugins` list is therefore the only registry.
@main
struct ChannelRegistryPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let plugins = target.dependencies.compactMap { dependency -> String? in
            guard case .target(let module) = dependency else { return nil }
            return module.directoryURL.deletingLastPathComponent().lastPathComponent == "Plugins" ? module.name : nil
        }
        .sorted()
        let output = context.pluginWorkDirectoryURL.appending(path: "CompiledChannelKinds.swift")
        return [
            .buildCommand(
                displayName: "Registering channel kinds for \(target.name): \(plugins.joined(separator: ", "))",
                executable: try context.tool(named: "channel-registry-generator").url,
                arguments: [output.path] + plugins,
                inputFiles: [],
                outputFiles: [output])
        ]
    }
}
