// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Confide",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "confide", targets: ["confide"]),
        .library(name: "ConfideCore", targets: ["ConfideCore"]),
        .library(name: "ConfideGraph", targets: ["ConfideGraph"]),
        .library(name: "ConfideMPC", targets: ["ConfideMPC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "ConfideCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(name: "ConfideGraph", dependencies: ["ConfideCore"]),
        .target(name: "ConfideMPC", dependencies: ["ConfideCore", "ConfideGraph"]),
        .executableTarget(
            name: "confide",
            dependencies: [
                "ConfideCore", "ConfideGraph", "ConfideMPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "joint-statistics", dependencies: ["ConfideCore", "ConfideGraph", "ConfideMPC"], path: "Examples/swift/JointStatistics"),
        .testTarget(name: "ConfideCoreTests", dependencies: ["ConfideCore"]),
        .testTarget(name: "ConfideGraphTests", dependencies: ["ConfideGraph", "ConfideCore"]),
        .testTarget(name: "ConfideMPCTests", dependencies: ["ConfideMPC", "ConfideGraph", "ConfideCore"]),
        .testTarget(name: "ConfideCLITests", dependencies: ["ConfideGraph", "ConfideCore"]),
    ],
    swiftLanguageModes: [.v6]
)
