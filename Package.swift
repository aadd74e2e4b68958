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
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
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
        .target(
            name: "ConfideNet",
            dependencies: [
                "ConfideCore", "ConfideMPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "confide",
            dependencies: [
                "ConfideCore", "ConfideGraph", "ConfideMPC", "ConfideNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "confide-netbench", dependencies: ["ConfideMPC", "ConfideNet"]),
        .executableTarget(name: "joint-statistics", dependencies: ["ConfideCore", "ConfideGraph", "ConfideMPC"], path: "Examples/swift/JointStatistics"),
        .testTarget(name: "ConfideCoreTests", dependencies: ["ConfideCore"]),
        .testTarget(name: "ConfideGraphTests", dependencies: ["ConfideGraph", "ConfideCore"]),
        .testTarget(name: "ConfideMPCTests", dependencies: ["ConfideMPC", "ConfideGraph", "ConfideCore", "ConfideNet"]),
        .testTarget(name: "ConfideNetTests", dependencies: ["ConfideNet", "ConfideMPC", "ConfideGraph", "ConfideCore"]),
        .testTarget(name: "ConfideCLITests", dependencies: ["ConfideGraph", "ConfideCore"]),
    ],
    swiftLanguageModes: [.v6]
)
