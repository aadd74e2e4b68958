// swift-tools-version: 6.1
// Builds the protoc plugins used by dev/generate-protos.sh (never by CI).
import PackageDescription

let package = Package(
    name: "ConfideProtocPlugins",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
    ],
    targets: []
)
