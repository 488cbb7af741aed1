// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Rampart",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RampartRegex", targets: ["RampartRegex"]),
        .library(name: "RampartWAF", targets: ["RampartWAF"]),
        .library(name: "RampartProtocol", targets: ["RampartProtocol"]),
        .library(name: "RampartPlatform", targets: ["RampartPlatform"]),
        .executable(name: "rampart", targets: ["RampartCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Engine layer: depends on nothing outside the toolchain.
        .target(name: "RampartRegex"),
        .target(name: "RampartWAF", dependencies: ["RampartRegex"]),
        // Agent <-> platform wire types (Codable, Foundation only).
        .target(name: "RampartProtocol"),
        // The platform server: agent API, storage (SQLite/PostgreSQL), dashboard.
        .target(
            name: "RampartPlatform",
            dependencies: [
                "RampartProtocol",
                "RampartWAF",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The `rampart` command line: regex, WAF and RASP tools.
        .executableTarget(
            name: "RampartCLI",
            dependencies: [
                "RampartRegex",
                "RampartWAF",
                "RampartPlatform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Prints RampartRegex's figures on the WAF regex workload of ../shared/tools/re2bench.
        .executableTarget(name: "RegexMeasure", dependencies: ["RampartRegex"]),
        .testTarget(name: "RampartRegexTests", dependencies: ["RampartRegex"], exclude: ["Fixtures"]),
        .testTarget(name: "RampartWAFTests", dependencies: ["RampartWAF"], exclude: ["Fixtures"]),
        .testTarget(name: "RampartProtocolTests", dependencies: ["RampartProtocol"]),
        .testTarget(
            name: "RampartPlatformTests",
            dependencies: [
                "RampartPlatform",
                "RampartProtocol",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
