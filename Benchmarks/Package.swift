// swift-tools-version: 6.1
import PackageDescription

// The root package, by path; its identity is the name of its directory (a clone may be named
// anything), which the product references need.
let rootIdentity = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "confide"

let package = Package(
    name: "ConfideBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "ConfideBenchRows",
            dependencies: [
                .product(name: "ConfideCore", package: rootIdentity),
                .product(name: "ConfideGraph", package: rootIdentity),
                .product(name: "ConfideMPC", package: rootIdentity),
            ]
        ),
        .executableTarget(name: "confide-bench", dependencies: ["ConfideBenchRows"]),
        .executableTarget(
            name: "confide-netbench",
            dependencies: [
                .product(name: "ConfideCore", package: rootIdentity),
                .product(name: "ConfideMPC", package: rootIdentity),
                .product(name: "ConfideNet", package: rootIdentity),
                .product(name: "ConfideRuntime", package: rootIdentity),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ConfideBenchmarks",
            dependencies: ["ConfideBenchRows", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/ConfideBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
