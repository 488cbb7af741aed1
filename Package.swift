// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Rampart",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RampartRegex", targets: ["RampartRegex"]),
        .library(name: "RampartWAF", targets: ["RampartWAF"]),
        .executable(name: "rampart", targets: ["RampartCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Engine layer: depends on nothing outside the toolchain.
        .target(name: "RampartRegex"),
        .target(name: "RampartWAF", dependencies: ["RampartRegex"]),
        // Runs libddwaf's black-box validator tests (YAML) against RampartWAF.
        .target(
            name: "RampartConformance",
            dependencies: ["RampartWAF", .product(name: "Yams", package: "Yams")]
        ),
        // The `rampart` command line: regex, WAF and RASP tools.
        .executableTarget(
            name: "RampartCLI",
            dependencies: [
                "RampartRegex",
                "RampartWAF",
                "RampartConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Prints RampartRegex's figures on the WAF regex workload of ../shared/tools/re2bench.
        .executableTarget(name: "RegexMeasure", dependencies: ["RampartRegex"]),
        .testTarget(name: "RampartRegexTests", dependencies: ["RampartRegex"]),
        .testTarget(name: "RampartWAFTests", dependencies: ["RampartWAF"], exclude: ["Fixtures"]),
        .testTarget(
            name: "RampartConformanceTests",
            dependencies: ["RampartConformance"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
