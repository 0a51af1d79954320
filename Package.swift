// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "fakelab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fakelab", targets: ["fakelab"]),
        .library(name: "FakelabAPI", targets: ["FakelabAPI"]),
        .library(name: "FakelabServer", targets: ["FakelabServer"]),
        .library(name: "FakelabRecorder", targets: ["FakelabRecorder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries (Debian -dev packages, installed by .ci/run).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CWebP", path: "Sources/CWebP", providers: [.apt(["libwebp-dev"])]),

        // Pure: wire types, catalog, contracts, validator. No HTTP framework.
        .target(
            name: "FakelabAPI",
            resources: [.embedInCode("Resources/catalog.json")]
        ),
        // Pure: deterministic image synthesis and PNG / JPEG / WebP codecs.
        .target(name: "FakelabImaging", dependencies: ["FakelabAPI", "CZlib", "CJPEG", "CWebP"]),
        // Record/replay core: exchange model, matching, redaction, SQLite store (GRDB stays inside).
        .target(
            name: "FakelabCassettes",
            dependencies: [
                "FakelabAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // How Fakelab speaks HTTP, shared by the server and the recorder: the error envelope on the
        // wire (APIError), JSON responses, header names, an in-process running server, and the
        // client side (one client configuration, the one redirect-following GET).
        .target(
            name: "FakelabHTTP",
            dependencies: [
                "FakelabAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [
                .embedInCode("Resources/inspector.html"), .embedInCode("Resources/inspector.js"), .embedInCode("Resources/fakelab.css"),
            ]
        ),
        // The Hummingbird application.
        .target(
            name: "FakelabServer",
            dependencies: [
                "FakelabAPI",
                "FakelabChecks",
                "FakelabHTTP",
                "FakelabImaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Recording proxy and replay server over a cassette.
        .target(
            name: "FakelabRecorder",
            dependencies: [
                "FakelabAPI",
                "FakelabCassettes",
                "FakelabChecks",
                "FakelabHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Conformance: scenarios, the client runner, checks over the journal, reports.
        .target(
            name: "FakelabConformance",
            dependencies: [
                "FakelabAPI",
                "FakelabChecks",
                "FakelabHTTP",
                "FakelabImaging",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(name: "FakelabChecks", dependencies: ["FakelabAPI"]),
        // The commands (ServeCommand, RecordCommand, …): flags, validate(), flag → configuration.
        .target(
            name: "FakelabCLI",
            dependencies: [
                "FakelabAPI",
                "FakelabChecks",
                "FakelabHTTP",
                "FakelabServer",
                "FakelabCassettes",
                "FakelabRecorder",
                "FakelabConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Fakelab.swift (@main) only: runs FakelabCLI's root command.
        .executableTarget(name: "fakelab", dependencies: ["FakelabCLI", "FakelabHTTP"]),
        // Benchmarks/run: cassette lookup time at 100 vs 100,000 exchanges.
        .executableTarget(name: "fakelab-lookup-bench", dependencies: ["FakelabCassettes"], path: "Benchmarks/CassetteLookup"),
        // Benchmarks/run: the fake's request path in-process (no network), CPU per request by route.
        .executableTarget(
            name: "fakelab-path-bench",
            dependencies: [
                "FakelabServer", "FakelabHTTP", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/RequestPath"
        ),
        // Benchmarks/run: the floor the stack sets (a bare Hummingbird application, same routes).
        .executableTarget(
            name: "fakelab-floor-bench",
            dependencies: ["FakelabHTTP", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/HummingbirdFloor"
        ),
        .target(
            name: "FakelabTestSupport",
            dependencies: [
                "FakelabAPI",
                "FakelabServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        .testTarget(name: "FakelabAPITests", dependencies: ["FakelabAPI"]),
        .testTarget(
            name: "FakelabCLITests",
            dependencies: [
                "FakelabCLI", "FakelabConformance", "FakelabChecks", "FakelabAPI", "FakelabServer", "FakelabRecorder", "FakelabHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Help"]
        ),
        .testTarget(
            name: "FakelabConformanceTests",
            dependencies: [
                "FakelabAPI", "FakelabConformance", "FakelabHTTP", "FakelabServer", "FakelabRecorder",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "FakelabChecksTests", dependencies: ["FakelabAPI", "FakelabChecks"]),
        .testTarget(name: "FakelabImagingTests", dependencies: ["FakelabAPI", "FakelabImaging"]),
        .testTarget(name: "FakelabCassettesTests", dependencies: ["FakelabAPI", "FakelabCassettes"]),
        .testTarget(
            name: "FakelabRecorderTests",
            dependencies: [
                "FakelabAPI", "FakelabRecorder", "FakelabServer", "FakelabHTTP", "FakelabCassettes", "FakelabImaging", "FakelabTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "FakelabServerTests",
            dependencies: [
                "FakelabAPI", "FakelabServer", "FakelabHTTP", "FakelabTestSupport", "FakelabImaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// One set of settings for every target (as Hummingbird does).
let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
