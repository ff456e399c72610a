// swift-tools-version: 6.2
import PackageDescription

/// A compiled channel kind: the module in `Plugins/<name>/`, which declares `<name>Kind`.
/// Its target, its place in the executable's kind registry and in the plug-in tests all come
/// from this one entry (README, "Adding a channel kind").
struct ChannelPlugin {
    var name: String
    /// What the module uses beyond HubCore.
    var uses: [Target.Dependency] = []
}

extension Target.Dependency {
    static let curl: Self = "HubCurl"
    static let logging: Self = .product(name: "Logging", package: "swift-log")
    static let mail: Self = "HubMail"
    static let crypto: Self = .product(name: "Crypto", package: "swift-crypto")
    static let cryptoExtras: Self = .product(name: "CryptoExtras", package: "swift-crypto")
}

/// The compiled channel kinds of this build. Adding a kind is its folder and one line here.
let channelPlugins: [ChannelPlugin] = [
    ChannelPlugin(name: "WeChat", uses: [.curl, .crypto, .cryptoExtras]),
    ChannelPlugin(name: "SMS", uses: [.curl, .crypto]),
    ChannelPlugin(name: "Webhook", uses: [.curl, .crypto]),
    ChannelPlugin(name: "Marketplace", uses: [.curl, .crypto]),
    ChannelPlugin(name: "Logistics", uses: [.curl, .crypto]),
    ChannelPlugin(name: "Email", uses: [.curl, .mail]),
]

/// Kinds only the tests compile, added the same way under `Tests/Fixtures/Plugins/`.
let fixturePlugins: [ChannelPlugin] = [
    ChannelPlugin(name: "Loopback")
]

/// Swift settings every module of ours builds with: existentials spelled `any`, members used
/// only through a module imported in that file, and imports internal unless marked (so a
/// module's dependencies do not leak into its users).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

func module(_ name: String, _ dependencies: [Target.Dependency], path: String? = nil) -> Target {
    .target(name: name, dependencies: dependencies, path: path, swiftSettings: strictSettings)
}

func pluginTargets(_ plugins: [ChannelPlugin], under folder: String) -> [Target] {
    plugins.map { module($0.name, ["HubCore", .logging] + $0.uses, path: "\(folder)/\($0.name)") }
}

func names(_ plugins: [ChannelPlugin]) -> [Target.Dependency] {
    plugins.map { .target(name: $0.name) }
}

let package = Package(
    name: "Tributary",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tributary", targets: ["tributary"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        module("HubCore", [.product(name: "Yams", package: "Yams"), .logging]),
        module("HubMail", ["HubCore"]),
        // Training and inference are arithmetic loops: optimised even in debug builds, so that a
        // hub started from `make run` or a test trains its first model in a second, not ten.
        .target(name: "Assist", dependencies: ["HubCore"], swiftSettings: strictSettings + [.unsafeFlags(["-O"])]),
        module(
            "HubStorage",
            [
                "HubCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        module("HubCurl", ["CCurl"]),
        module(
            "HubServer",
            [
                "HubCore",
                "HubMail",
                "HubStorage",
                "HubCurl",
                "Assist",
                .crypto,
                .cryptoExtras,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ).resources([.copy("Resources")]),
        .executableTarget(
            name: "tributary",
            dependencies: [
                "HubCore",
                "HubServer",
                "HubStorage",
                "Assist",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ] + names(channelPlugins),
            swiftSettings: strictSettings,
            plugins: ["ChannelRegistry"]
        ),
        .plugin(
            name: "ChannelRegistry", capability: .buildTool(), dependencies: ["channel-registry-generator"],
            path: "BuildSupport/ChannelRegistry"),
        .executableTarget(name: "channel-registry-generator", path: "BuildSupport/ChannelRegistryGenerator"),
        .executableTarget(
            name: "identity-bench",
            dependencies: ["HubCore", "HubStorage", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/IdentityBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "assist-bench", dependencies: ["Assist", "HubCore"], path: "Benchmarks/AssistBenchmark",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "sla-bench", dependencies: ["HubCore", "HubStorage", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/SLABenchmark", swiftSettings: strictSettings),
        .executableTarget(
            name: "ops-bench", dependencies: ["HubCore", "HubStorage", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/OperationsBenchmark", swiftSettings: strictSettings),
        .executableTarget(
            name: "routing-bench", dependencies: ["HubCore", "HubStorage"], path: "Benchmarks/RoutingBenchmark",
            swiftSettings: strictSettings),
        .testTarget(
            name: "HubCurlTests",
            dependencies: [
                "HubCurl",
                "HubCore",
                "HubMail",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(name: "PluginTests", dependencies: ["HubCore", "HubCurl", "HubMail"] + names(channelPlugins)),
        .testTarget(name: "HubCoreTests", dependencies: ["HubCore"]),
        .testTarget(name: "AssistTests", dependencies: ["Assist", "HubCore"]),
        .testTarget(name: "HubMailTests", dependencies: ["HubCore", "HubMail"]),
        .testTarget(
            name: "HubStorageTests",
            dependencies: ["HubCore", "HubStorage", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "HubServerTests",
            dependencies: [
                "HubServer",
                "HubCore",
                "HubStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ] + names(channelPlugins + fixturePlugins),
            plugins: ["ChannelRegistry"]
        ),
    ]
        + pluginTargets(channelPlugins, under: "Plugins")
        + pluginTargets(fixturePlugins, under: "Tests/Fixtures/Plugins"),
    swiftLanguageModes: [.v6]
)

extension Target {
    /// The same target with bundled resources.
    func resources(_ resources: [Resource]) -> Target {
        self.resources = resources
        return self
    }
}
