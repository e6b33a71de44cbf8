import Foundation
import Testing

/// Memory is a design bound: a day of 5,000 files through `once` must stay under a fixed peak
/// resident set (VmHWM, which `once` reports in its last line). On this corpus the debug build
/// the tests run peaks at about 65 MiB (of which some 32 MiB is the runtime and libraries,
/// before any file; 69 before `once` freed its deciding indexes ahead of the digest, 88 before
/// the day's entries lost their strings and malloc its extra arenas); the build that held each
/// day's articles whole peaked at 197 MiB. A memory
/// regression fails here the day it lands, not at the next benchmark.
@Suite struct MemoryBoundTests {
    static let files = 5000
    static let boundMiB = 80

    /// Deterministic pseudo-random numbers (SplitMix64): the same corpus on every run.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Invented words: a vocabulary as large as a day of news has, so the indexes grow as they would.
    static func vocabulary(_ n: Int, _ random: inout Random) -> [String] {
        let syllables = [
            "ka", "lo", "mer", "tin", "sa", "vel", "dor", "un", "pri", "ost", "ra", "ben", "ze", "ha", "mol",
        ]
        return (0..<n).map { _ in
            (0..<(2 + random.below(3))).map { _ in syllables[random.below(syllables.count)] }.joined()
        }
    }

    /// About four articles a story, each a headline and eight paragraphs mixing the story's own
    /// names and words with the general vocabulary.
    static func writeCorpus(to drop: URL) throws {
        var random = Random(state: 20_261_207)
        let common = vocabulary(20000, &random)
        let outlets = (0..<12).map { "outlet\($0)" }
        for outlet in outlets {
            try FileManager.default.createDirectory(
                at: drop.appendingPathComponent(outlet), withIntermediateDirectories: true)
        }
        var story: (names: [String], words: [String]) = ([], [])
        for i in 0..<files {
            if i % 4 == 0 {
                story.names = vocabulary(10, &random).map { $0.prefix(1).uppercased() + $0.dropFirst() }
                story.words = (0..<40).map { _ in common[random.below(common.count)] }
            }
            func sentence() -> String {
                var words: [String] = []
                for k in 0..<(10 + random.below(12)) {
                    switch random.below(10) {
                    case 0, 1: words.append(story.names[random.below(story.names.count)])
                    case 2, 3, 4: words.append(story.words[random.below(story.words.count)])
                    default: words.append(common[random.below(common.count)])
                    }
                    if k == 0 { words[0] = words[0].prefix(1).uppercased() + words[0].dropFirst() }
                }
                return words.joined(separator: " ") + "."
            }
            let title = (0..<8).map { _ in story.words[random.below(story.words.count)] }.joined(separator: " ")
            let body = (0..<8).map { _ in (0..<3).map { _ in sentence() }.joined(separator: " ") }
                .joined(separator: "\n\n")
            let url = drop.appendingPathComponent("\(outlets[random.below(outlets.count)])/\(i).txt")
            try Data((title.prefix(1).uppercased() + title.dropFirst() + "\n\n" + body + "\n").utf8).write(to: url)
        }
    }

    @Test func aDayOfFiveThousandFilesStaysUnderTheBound() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        try Self.writeCorpus(to: ws.drop)
        let result = try ws.once(config: Harness.utcConfig(in: ws.root))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("once: \(Self.files) new file(s)"), "\(result.stderr)")
        let peak = try #require(
            result.stderr.firstMatch(of: /peak memory (\d+) MiB/).flatMap { Int($0.1) }, "\(result.stderr)")
        print("memory bound: \(Self.files) files, peak \(peak) MiB (bound \(Self.boundMiB) MiB)")
        #expect(peak <= Self.boundMiB, "once peaked at \(peak) MiB for \(Self.files) files")
    }
}
