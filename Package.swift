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
        .library(name: "RampartVapor", targets: ["RampartVapor"]),
        .library(name: "RampartHummingbird", targets: ["RampartHummingbird"]),
        .library(name: "RampartSQLKit", targets: ["RampartSQLKit"]),
        .library(name: "RampartFluent", targets: ["RampartFluent"]),
        .library(name: "RampartPostgresNIO", targets: ["RampartPostgresNIO"]),
        .library(name: "RampartGRDB", targets: ["RampartGRDB"]),
        .library(name: "RampartSubprocess", targets: ["RampartSubprocess"]),
        .library(name: "RampartPlatform", targets: ["RampartPlatform"]),
        .executable(name: "rampart", targets: ["RampartCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/fluent-kit", from: "1.57.0"),
        // Test-only: RampartFluentTests runs Fluent against real SQLite.
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
            ]
        ),
        .target(name: "RampartVapor", dependencies: ["Rampart", .product(name: "Vapor", package: "vapor")]),
        .target(
            name: "RampartHummingbird",
            dependencies: ["Rampart", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .target(name: "RampartSQLKit", dependencies: ["Rampart", .product(name: "SQLKit", package: "sql-kit")]),
        .target(
            name: "RampartFluent",
            dependencies: [
                "Rampart", .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
            ]
        ),
        .target(
            name: "RampartPostgresNIO",
            dependencies: ["Rampart", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .target(name: "RampartGRDB", dependencies: ["Rampart", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "RampartSubprocess",
            dependencies: [
                "Rampart",
                .product(name: "Subprocess", package: "swift-subprocess"),
                // FilePath: the System framework on Apple platforms, swift-system elsewhere (as Subprocess does).
                .product(
                    name: "SystemPackage", package: "swift-system",
                    condition: .when(platforms: [.linux, .windows, .android, .wasi, .openbsd])),
            ]
        ),
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
                // Webhook delivery.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Runs libddwaf's black-box validator tests (YAML) against RampartWAF.
        .target(
            name: "RampartConformance",
            dependencies: ["RampartWAF", .product(name: "Yams", package: "Yams")]
        ),
        // The `rampart` command line: regex, WAF, RASP and rule tools, the platform server.
        .executableTarget(
            name: "RampartCLI",
            dependencies: [
                "RampartRegex",
                "RampartWAF",
                "RampartPlatform",
                "RampartConformance",
                "Rampart",
                "RampartProtocol",
                "DemoShop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The demo: a deliberately vulnerable shop protected by Rampart (`rampart demo` runs it).
        .target(
            name: "DemoShop",
            dependencies: [
                "Rampart",
                "RampartHummingbird",
                "RampartSQLKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Examples/DemoShop"
        ),
        // The apps scripts/bench-overhead.sh measures with wrk, without or with Rampart. In the root package (not
        // Benchmarks/) because every dependency is already here: CI compiles three small targets instead of a second
        // copy of Vapor, Hummingbird and SQLiteKit, and the apps keep up with API changes.
        .target(
            name: "OverheadBenchCore",
            dependencies: [
                "Rampart",
                "RampartSQLKit",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "OverheadBenchHummingbird",
            dependencies: [
                "OverheadBenchCore", "Rampart", "RampartHummingbird", .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "OverheadBenchVapor",
            dependencies: ["OverheadBenchCore", "Rampart", "RampartVapor", .product(name: "Vapor", package: "vapor")]
        ),
        // Prints RampartRegex's figures on the WAF regex workload of ../shared/tools/re2bench.
        .executableTarget(name: "RegexMeasure", dependencies: ["RampartRegex"]),
        // Prints the WAF engine's cost per request (the overhead benchmark's requests, or a corpus), engine only.
        .executableTarget(name: "WAFMeasure", dependencies: ["RampartWAF"]),
        .testTarget(name: "RampartRegexTests", dependencies: ["RampartRegex"], exclude: ["Fixtures"]),
        .testTarget(name: "RampartWAFTests", dependencies: ["RampartWAF"], exclude: ["Fixtures"]),
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
        .testTarget(
            name: "RampartVaporTests",
            dependencies: [
                "RampartVapor", "RampartProtocol", .product(name: "VaporTesting", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "RampartHummingbirdTests",
            dependencies: [
                "RampartHummingbird", "RampartProtocol", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "RampartSQLKitTests",
            dependencies: [
                "RampartSQLKit", "RampartProtocol", "RampartTestSupport", .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RampartFluentTests",
            dependencies: [
                "RampartFluent", "RampartProtocol", "RampartTestSupport", .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Helpers shared by the integration test targets below (not a test target itself).
        .target(
            name: "RampartTestSupport",
            dependencies: ["Rampart", "RampartProtocol", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            path: "Tests/RampartTestSupport"
        ),
        .testTarget(
            name: "RampartPostgresNIOTests",
            dependencies: [
                "RampartPostgresNIO", "RampartProtocol", "RampartTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "RampartGRDBTests",
            dependencies: ["RampartGRDB", "RampartProtocol", "RampartTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "RampartSubprocessTests",
            dependencies: [
                "RampartSubprocess", "RampartProtocol", "RampartTestSupport", .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system", condition: .when(platforms: [.linux])),
            ]
        ),
        .testTarget(
            name: "RampartPlatformTests",
            dependencies: [
                "RampartPlatform",
                // The fault and browser tests run a real protected app whose agent reports to a real platform.
                "Rampart",
                "RampartHummingbird",
                "RampartProtocol",
                "RampartWAF",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The webhook receiver checks signatures with its own HMAC, not the platform's helper.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "RampartConformanceTests",
            dependencies: ["RampartConformance"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DemoShopTests",
            dependencies: [
                "DemoShop",
                "Rampart",
                "RampartPlatform",
                "RampartProtocol",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
