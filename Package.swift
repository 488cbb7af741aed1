// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Rampart",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RampartRegex", targets: ["RampartRegex"]),
        .library(name: "RampartWAF", targets: ["RampartWAF"]),
        .library(name: "RampartProtocol", targets: ["RampartProtocol"]),
        .library(name: "Rampart", targets: ["Rampart"]),
        .executable(name: "rampart", targets: ["RampartCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // Engine layer: depends on nothing outside the toolchain.
        .target(name: "RampartRegex"),
        .target(name: "RampartWAF", dependencies: ["RampartRegex"]),
        // Agent <-> platform wire types (Codable, Foundation only).
        .target(name: "RampartProtocol"),
        // Agent layer: configuration, request context, blocking, events, transport. Integrations are thin targets.
        .target(
            name: "Rampart",
            dependencies: [
                "RampartRegex",
                "RampartWAF",
                "RampartProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            resources: [.copy("Resources/default-ruleset.json")]
        ),
        // The `rampart` command line: regex, WAF and RASP tools.
        .executableTarget(
            name: "RampartCLI",
            dependencies: [
                "RampartRegex",
                "RampartWAF",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Prints RampartRegex's figures on the WAF regex workload of ../shared/tools/re2bench.
        .executableTarget(name: "RegexMeasure", dependencies: ["RampartRegex"]),
        .testTarget(name: "RampartRegexTests", dependencies: ["RampartRegex"]),
        .testTarget(name: "RampartWAFTests", dependencies: ["RampartWAF"]),
        .testTarget(name: "RampartProtocolTests", dependencies: ["RampartProtocol"]),
        .testTarget(
            name: "RampartTests",
            dependencies: [
                "Rampart",
                "RampartProtocol",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
