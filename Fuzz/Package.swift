// swift-tools-version: 6.1
// libFuzzer targets for newsdigest. Build and run them with scripts/fuzz (from the repo root):
//   swift build --package-path Fuzz --scratch-path .build-fuzz -c release -sanitize=fuzzer -sanitize=address
//
// Each fuzz target is a single source file that is not main.swift, so SwiftPM compiles it with
// -parse-as-library: it emits no `main`, and the one libFuzzer links in (-sanitize=fuzzer) runs.
//
// The main package exports only the `NewsDigest` library, so `NewsDigestDaemon` (where the config
// parser lives) is compiled here again from the very same sources: Sources/NewsDigestDaemon and
// Sources/CInotifyTools are symlinks to the main package's folders, never copies. SwiftPM wants
// target names unique across the whole package graph, so here the module is called
// `FuzzedNewsDigestDaemon` (and the system library target `FuzzedCInotifyTools`; its module map
// still declares the module `CInotifyTools` the sources import).
import PackageDescription

let package = Package(
    name: "newsdigest-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "newsdigest", path: ".."),
        // The same as the main package's, for the re-compiled NewsDigestDaemon.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "FuzzedCInotifyTools", path: "Sources/CInotifyTools"),
        .target(
            name: "FuzzedNewsDigestDaemon",
            dependencies: [
                .product(name: "NewsDigest", package: "newsdigest"),
                "FuzzedCInotifyTools",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            path: "Sources/NewsDigestDaemon"
        ),
        .executableTarget(
            name: "FuzzArticleReader",
            dependencies: [.product(name: "NewsDigest", package: "newsdigest")]
        ),
        .executableTarget(
            name: "FuzzHTML",
            dependencies: [.product(name: "NewsDigest", package: "newsdigest")]
        ),
        .executableTarget(
            name: "FuzzText",
            dependencies: [.product(name: "NewsDigest", package: "newsdigest")]
        ),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: ["FuzzedNewsDigestDaemon"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
