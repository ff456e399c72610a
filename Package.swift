// swift-tools-version: 6.2
import PackageDescription

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
    ],
    targets: [
        .target(
            name: "HubCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "HubStorage",
            dependencies: [
                "HubCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .target(name: "HubCurl", dependencies: ["CCurl"]),
        .target(
            name: "WebChat",
            dependencies: ["HubCore"],
            path: "Plugins/WebChat"
        ),
        .target(
            name: "WeChat",
            dependencies: [
                "HubCore", "HubCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            path: "Plugins/WeChat"
        ),
        .target(
            name: "SMS",
            dependencies: ["HubCore", "HubCurl", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/SMS"
        ),
        .target(
            name: "Webhook",
            dependencies: ["HubCore", "HubCurl", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/Webhook"
        ),
        .target(
            name: "Marketplace",
            dependencies: ["HubCore", "HubCurl", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/Marketplace"
        ),
        .target(
            name: "Logistics",
            dependencies: ["HubCore", "HubCurl", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/Logistics"
        ),
        .target(name: "Email", dependencies: ["HubCore", "HubCurl"], path: "Plugins/Email"),
        .target(
            name: "HubServer",
            dependencies: [
                "HubCore",
                "HubStorage",
                "WebChat",
                "WeChat",
                "SMS",
                "Webhook",
                "Marketplace",
                "Logistics",
                "Email",
                "HubCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "tributary",
            dependencies: [
                "HubCore",
                "HubServer",
                "HubStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "identity-bench",
            dependencies: ["HubCore", "HubStorage", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/IdentityBenchmark"
        ),
        .testTarget(
            name: "HubCurlTests",
            dependencies: [
                "HubCurl",
                "HubCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "PluginTests",
            dependencies: ["HubCore", "HubCurl", "WeChat", "SMS", "Webhook", "Marketplace", "Logistics", "Email"]
        ),
        .testTarget(name: "HubCoreTests", dependencies: ["HubCore", "WebChat"]),
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
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
