// swift-tools-version:6.1
// Benchmarks for Rampart (ordo-one/benchmark): `swift package benchmark` from this directory.
import PackageDescription

let package = Package(
    name: "RampartBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Rampart", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RegexBenchmarks",
            dependencies: [
                .product(name: "RampartRegex", package: "Rampart"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RegexBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
