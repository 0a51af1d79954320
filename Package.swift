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
            ]
        ),
        // The Hummingbird application.
        .target(
            name: "FakelabServer",
            dependencies: [
                "FakelabAPI",
                "FakelabImaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Recording proxy and replay server over a cassette.
        .target(
            name: "FakelabRecorder",
            dependencies: [
                "FakelabAPI",
                "FakelabCassettes",
                "FakelabServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Conformance: scenarios, the client runner, checks over the journal, reports.
        .target(
            name: "FakelabConformance",
            dependencies: [
                "FakelabAPI",
                "FakelabImaging",
                "FakelabServer",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(name: "FakelabChecks", dependencies: ["FakelabAPI"]),
        .executableTarget(
            name: "fakelab",
            dependencies: [
                "FakelabServer",
                "FakelabCassettes",
                "FakelabRecorder",
                "FakelabConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks/run: cassette lookup time at 100 vs 100,000 exchanges.
        .executableTarget(name: "fakelab-lookup-bench", dependencies: ["FakelabCassettes"], path: "Benchmarks/CassetteLookup"),
        .target(
            name: "FakelabTestSupport",
            dependencies: [
                "FakelabServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),

        .testTarget(name: "FakelabAPITests", dependencies: ["FakelabAPI"]),
        .testTarget(name: "FakelabConformanceTests", dependencies: ["FakelabConformance"]),
        .testTarget(name: "FakelabChecksTests", dependencies: ["FakelabChecks"]),
        .testTarget(name: "FakelabImagingTests", dependencies: ["FakelabImaging"]),
        .testTarget(name: "FakelabCassettesTests", dependencies: ["FakelabCassettes"]),
        .testTarget(
            name: "FakelabRecorderTests",
            dependencies: [
                "FakelabRecorder", "FakelabServer", "FakelabCassettes", "FakelabImaging", "FakelabTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "FakelabServerTests",
            dependencies: [
                "FakelabServer", "FakelabTestSupport", "FakelabImaging",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
