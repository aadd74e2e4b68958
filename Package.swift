// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Confide",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "confide", targets: ["confide"]),
        .library(name: "ConfideCore", targets: ["ConfideCore"]),
        .library(name: "ConfideGraph", targets: ["ConfideGraph"]),
        .library(name: "ConfideComm", targets: ["ConfideComm"]),
        .library(name: "ConfideMPC", targets: ["ConfideMPC"]),
        .library(name: "ConfideNet", targets: ["ConfideNet"]),
        .library(name: "ConfideData", targets: ["ConfideData"]),
        .library(name: "ConfideRuntime", targets: ["ConfideRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
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
        .target(name: "ConfideComm", dependencies: ["ConfideCore"]),
        .target(name: "ConfideMPC", dependencies: ["ConfideCore", "ConfideComm", "ConfideGraph"]),
        .target(
            name: "ConfideData",
            dependencies: [
                "ConfideCore",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "ConfideNet",
            dependencies: [
                "ConfideCore", "ConfideComm",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ConfideProtos",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "ConfideRuntime",
            dependencies: [
                "ConfideComm", "ConfideCore", "ConfideData", "ConfideGraph", "ConfideMPC", "ConfideNet", "ConfideProtos",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(
            name: "ConfideFLProtos",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "ConfideFL",
            dependencies: [
                "ConfideCore", "ConfideData", "ConfideNet", "ConfideRuntime", "ConfideFLProtos",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "confide",
            dependencies: [
                "ConfideCore", "ConfideData", "ConfideGraph", "ConfideMPC", "ConfideNet", "ConfideRuntime", "ConfideWorker", "ConfideFL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        // secp256k1 ECDSA over OpenSSL 3's libcrypto, which every Debian image carries (libssl3).
        .target(name: "CSecp256k1", linkerSettings: [.linkedLibrary("crypto")]),
        .target(
            name: "ConfideWorker",
            dependencies: [
                "ConfideCore", "ConfideGraph", "CSecp256k1",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "BigInt", package: "BigInt"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(name: "joint-statistics", dependencies: ["ConfideCore", "ConfideGraph", "ConfideMPC"], path: "Examples/swift/JointStatistics"),
        .testTarget(name: "ConfideCoreTests", dependencies: ["ConfideCore"]),
        // Shared test support (the Communicator contract suite, generic helpers): used only by test targets.
        .target(name: "ConfideTestSupport", dependencies: ["ConfideComm", "ConfideCore"], path: "Tests/ConfideTestSupport"),
        .testTarget(name: "ConfideCommTests", dependencies: ["ConfideComm", "ConfideCore", "ConfideTestSupport"]),
        .testTarget(name: "ConfideDataTests", dependencies: ["ConfideData", "ConfideCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ConfideGraphTests", dependencies: ["ConfideGraph", "ConfideCore"]),
        .testTarget(name: "ConfideMPCTests", dependencies: ["ConfideMPC", "ConfideGraph", "ConfideCore", "ConfideNet"]),
        .testTarget(
            name: "ConfideNetTests",
            dependencies: [
                "ConfideNet", "ConfideComm", "ConfideMPC", "ConfideGraph", "ConfideCore", "ConfideTestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]),
        .testTarget(
            name: "ConfideRuntimeTests",
            dependencies: [
                "ConfideRuntime", "ConfideData", "ConfideProtos", "ConfideNet", "ConfideMPC", "ConfideGraph", "ConfideCore", "ConfideTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "ConfideFLTests",
            dependencies: ["ConfideFL", "ConfideFLProtos", "ConfideRuntime", "ConfideNet", "ConfideCore", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ConfideCLITests", dependencies: ["ConfideGraph", "ConfideCore", "ConfideNet", "ConfideRuntime"]),
        .testTarget(
            name: "ConfideWorkerTests",
            dependencies: [
                "ConfideWorker", "ConfideGraph", "ConfideCore", "ConfideRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
