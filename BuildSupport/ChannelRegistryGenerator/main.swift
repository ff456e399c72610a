import Foundation

// channel-registry-generator OUTPUT MODULE...: writes the Swift file that lists `<MODULE>Kind`
// for every channel plug-in module the target links (see ChannelRegistryPlugin).
let arguments = Array(CommandLine.arguments.dropFirst())
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: channel-registry-generator OUTPUT MODULE...\n".utf8))
    exit(64)
}
let modules = arguments.dropFirst()
let source = """
    // Generated at build time by BuildSupport/ChannelRegistry from this target's channel plug-ins.
    import HubCore
    \(modules.map { "import \($0)" }.joined(separator: "\n"))

    /// The channel kinds compiled into this target, one per entry of `channelPlugins` in Package.swift.
    enum CompiledChannelKinds {
        static let all: [any ChannelKind.Type] = [\(modules.map { "\($0)Kind.self" }.joined(separator: ", "))]
    }

    """
do {
    try source.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("channel-registry-generator: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
