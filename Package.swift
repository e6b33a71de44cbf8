// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "newsdigest",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "newsdigest", targets: ["newsdigest"]),
        .library(name: "NewsDigest", targets: ["NewsDigest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The pure core: no file system, no clocks, no globals. Bytes in, decisions and digests out.
        // Its HTML templates are real .html files, built into it as strings by the plugin.
        .target(name: "NewsDigest", dependencies: ["CHTMLTokens"], swiftSettings: strict, plugins: ["TemplatesPlugin"]),
        // libxml2's HTML parser behind a C target of its own: Swift sees only a token buffer.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0"),
        .target(name: "CHTMLTokens", dependencies: ["CLibXML2"]),
        .plugin(name: "TemplatesPlugin", capability: .buildTool()),
        // libinotifytools, reached only by the watcher. Debian ships no pkg-config file for it.
        .systemLibrary(name: "CInotifyTools"),
        // The edges: folders, store, moves, watcher, config, logging. Everything that touches the machine.
        .target(
            name: "NewsDigestDaemon",
            dependencies: [
                "NewsDigest",
                "CInotifyTools",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "newsdigest",
            dependencies: [
                "NewsDigest",
                "NewsDigestDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The core's tests need nothing but the core: that is what shows it stands alone.
        .testTarget(name: "NewsDigestTests", dependencies: ["NewsDigest"], swiftSettings: strict),
        // The daemon's parts on their own, with a real SQLite file where they store something.
        .testTarget(
            name: "NewsDigestDaemonTests",
            dependencies: [
                "NewsDigest", "NewsDigestDaemon", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NewsDigestEndToEndTests",
            dependencies: [
                "NewsDigest", "NewsDigestDaemon", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
