// swift-tools-version: 6.1
import PackageDescription

// The benchmarks' own package, so the main build stays light. `scripts/bench` builds and runs it.
// The core is compiled from the main package's sources (Sources/NewsDigest is a link to them):
// a path dependency on ".." would be named after whatever folder the clone is in.
let package = Package(
    name: "newsdigest-benchmarks",
    targets: [
        .target(name: "NewsDigest"),
        .executableTarget(name: "newsdigest-bench", dependencies: ["NewsDigest"]),
    ],
    swiftLanguageModes: [.v6]
)
