import Foundation
import Testing

/// `newsdigest once` through the real binary on real folders.
@Suite struct OnceTests {
    static func validator() throws -> JSONSchemaValidator {
        try JSONSchemaValidator(
            schema: Data(contentsOf: Harness.packageRoot.appendingPathComponent("schema/digest.schema.json")))
    }

    /// Every file, found anywhere in the digest, with how many times it appears.
    static func accounted(_ digest: [String: Any]) -> [String: Int] {
        var seen: [String: Int] = [:]
        for story in digest.stories { for a in story.articles { seen[name(a), default: 0] += 1 } }
        for e in digest.exactDuplicates { seen[name(e), default: 0] += 1 }
        for r in digest.rejected { seen[name(r), default: 0] += 1 }
        return seen
    }

    /// An entry's file, and "#N" after it for record N of a batch file.
    static func name(_ entry: [String: Any]) -> String {
        let file = entry["file"] as! String
        return (entry["record"] as? Int).map { "\(file)#\($0)" } ?? file
    }

    @Test func seedsMakeOneStoryOfFiveSources() throws {
        let ws = try Harness.Workspace(copying: Harness.seeds)
        defer { ws.remove() }
        let result = try ws.once(config: Harness.utcConfig(in: ws.root))
        #expect(result.status == 0, "\(result.stderr)")
        let (data, digest) = try ws.digestJSON()
        #expect(try Self.validator().validate(data) == [])
        #expect(digest.stories.count == 1)
        let story = try #require(digest.stories.first)
        #expect(
            Set(story["sources"] as? [String] ?? []) == [
                "dailysabah", "rferl", "rt", "soldieroffortune", "unattributed",
            ])
        #expect(story.articles.count == 5)
        let summary = story.summary.map { $0["text"] as! String }
        #expect(!summary.isEmpty)
        #expect(Set(summary).count == summary.count, "a sentence repeats")
        for furniture in ["SEE ALSO", "READ MORE", "browser", "Updated as reports", "Share"] {
            #expect(!summary.contains { $0.contains(furniture) }, "\(furniture) reached the summary")
        }
        #expect(!summary.contains { $0.contains("fleAbu") }, "a glued scraping glitch was quoted")
        let ids = Set(story.articles.map { $0["id"] as! String })
        #expect(story.summary.allSatisfy { ids.contains($0["article"] as! String) })
        // Inputs moved out, into the archive of the day.
        let left = try FileManager.default.subpathsOfDirectory(atPath: ws.drop.path).filter { $0.hasSuffix(".txt") }
        #expect(left.isEmpty)
        let archived = try FileManager.default.subpathsOfDirectory(
            atPath: ws.state.appendingPathComponent("archive").path
        )
        .filter { $0.hasSuffix(".txt") }
        #expect(archived.count == 5)
    }

    @Test func fixturesAreAllAccountedForOnce() throws {
        let ws = try Harness.Workspace(copying: Harness.fixtures.appendingPathComponent("drop"))
        defer { ws.remove() }
        let result = try ws.once(config: Harness.utcConfig(in: ws.root))
        #expect(result.status == 0, "\(result.stderr)")
        let (data, digest) = try ws.digestJSON()
        #expect(try Self.validator().validate(data) == [])
        let seen = Self.accounted(digest)
        let inputs = [
            "baytimes/bridge-copy.txt", "cityherald/commuters.md", "coastwire/bridge.txt", "misc/bridge-again.txt",
            "misc/broken.json", "misc/empty.txt", "misc/library.json", "misc/nothing.json", "misc/page.html",
            "misc/photo.png.txt", "northpost/library.txt",
        ]
        #expect(seen == Dictionary(uniqueKeysWithValues: inputs.map { ($0, 1) }))
        #expect(digest.counts["files"] == inputs.count)
        // Partial names stay where they are, for a later run.
        #expect(FileManager.default.fileExists(atPath: ws.drop.appendingPathComponent("misc/story.txt.part").path))
        #expect(FileManager.default.fileExists(atPath: ws.drop.appendingPathComponent("misc/.in-progress.txt").path))

        // Two stories: the bridge (three outlets, one a copy) and the library (two outlets).
        #expect(digest.stories.count == 2)
        let bridge = try #require(
            digest.stories.first { ($0.articles.map { $0["file"] as! String }).contains("coastwire/bridge.txt") })
        #expect(
            Set(bridge.articles.map { $0["file"] as! String }) == [
                "baytimes/bridge-copy.txt", "coastwire/bridge.txt", "cityherald/commuters.md",
            ])
        let near = bridge.articles.filter { $0["status"] as? String == "near_duplicate" }
        #expect(near.count == 1)
        let original = try #require(
            bridge.articles.first {
                $0["status"] as? String == "new" && $0["file"] as? String == "baytimes/bridge-copy.txt"
            })
        #expect(near.first?["duplicate_of"] as? String == original["id"] as? String)
        #expect(bridge["headline"] as? String != nil && !(bridge["headline"] as! String).contains("Bay Times"))

        // The CRLF, curly-quoted copy is an exact duplicate of the article it repeats.
        #expect(digest.exactDuplicates.count == 1)
        let exact = try #require(digest.exactDuplicates.first)
        #expect(exact["file"] as? String == "misc/bridge-again.txt")
        let coast = try #require(bridge.articles.first { $0["file"] as? String == "coastwire/bridge.txt" })
        #expect(exact["duplicate_of"] as? String == coast["id"] as? String)

        // Each rejection says why.
        let reasons = Dictionary(
            uniqueKeysWithValues: digest.rejected.map { ($0["file"] as! String, $0["reason"] as! String) })
        #expect(reasons["misc/page.html"]?.contains("no article text found in the page") == true)
        #expect(reasons["misc/empty.txt"]?.contains("empty") == true)
        #expect(reasons["misc/photo.png.txt"]?.contains("PNG") == true)
        #expect(reasons["misc/broken.json"]?.contains("invalid JSON") == true)
        #expect(reasons["misc/nothing.json"]?.contains("neither a title nor a text") == true)
        let reasonFile = ws.state.appendingPathComponent("rejected/misc/page.html.reason")
        #expect(try String(contentsOf: reasonFile, encoding: .utf8).contains("no article text found"))

        // The Markdown shows the stories and the rejections, with the copy as "Also in".
        let md = try String(contentsOf: try ws.digestFiles("md")[0], encoding: .utf8)
        #expect(md.contains("Also in: coastwire"))
        #expect(md.contains("misc/page.html"))
        #expect(md.contains("Sources: "))
    }

    @Test func secondRunCountsNothingTwice() throws {
        let ws = try Harness.Workspace(copying: Harness.fixtures.appendingPathComponent("drop"))
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root)
        try ws.once(keepInputs: true, config: config)
        let first = try ws.digestJSON().data
        let again = try ws.once(keepInputs: true, config: config)
        #expect(again.status == 0)
        let second = try ws.digestJSON().data
        #expect(first == second)
        // A new file on top is added, and only it.
        try
            "Storm closes Norvik ferry port\nHigh winds closed the ferry port of Norvik on Sunday and all sailings were cancelled until Monday morning, the harbor master said."
            .write(to: ws.drop.appendingPathComponent("northpost/storm.txt"), atomically: true, encoding: .utf8)
        try ws.once(keepInputs: true, config: config)
        let third = try ws.digestJSON().object
        #expect(third.counts["files"] == 12)
        #expect(Self.accounted(third).values.allSatisfy { $0 == 1 })
    }

    @Test func sameInputsGiveByteIdenticalDigests() throws {
        var outputs: [(Data, Data)] = []
        for _ in 0..<2 {
            let ws = try Harness.Workspace(copying: Harness.fixtures.appendingPathComponent("drop"))
            defer { ws.remove() }
            try FileManager.default.copyItem(at: Harness.seeds, to: ws.drop.appendingPathComponent("seeds"))
            let result = try ws.once(config: Harness.utcConfig(in: ws.root))
            #expect(result.status == 0)
            outputs.append(
                (try Data(contentsOf: ws.digestFiles("json")[0]), try Data(contentsOf: ws.digestFiles("md")[0])))
        }
        #expect(outputs[0].0 == outputs[1].0)
        #expect(outputs[0].1 == outputs[1].1)
        #expect(!outputs[0].0.isEmpty)
    }

    /// One wire story carried by eight outlets under other names: its sentences tie in every
    /// score, so a sum taken in a Dictionary's order (seeded per process) would pick a different
    /// outlet's sentence from run to run. Each run is a new process, so a new hash seed.
    @Test func tiedSentencesFromRenamedWireCopiesGiveTheSameDigestEveryRun() throws {
        let template = [
            "NAME says ORG will close its river port by spring",
            "NAME, the head of ORG, said on Monday that the river port would close by the end of March.",
            "The decision follows two years of falling cargo, NAME told reporters at the harbour office.",
            "ORG handled just under a million tonnes last year, about half of what it moved a decade ago.",
            "Dock workers will be offered places at the new rail terminal, NAME said, though unions want more.",
            "A spokesman for the workers said ORG had promised the same thing before the last closure.",
            "NAME said the land would be sold to the city, which plans housing and a riverside park.",
            "The city council is expected to vote on the purchase in April, according to ORG.",
        ]
        // Names of one shape (two words each, each word in one outlet only), so every outlet's
        // version of a sentence scores the same.
        let people = [
            "Ilsa Marrow", "Bent Okafor", "Cora Lindqvist", "Piet Anand", "Runa Solberg", "Tavi Kettu", "Moro Varga",
            "Elke Dunmore",
        ]
        let boards = [
            "Tarnco Velm", "Ossa Brint", "Kelda Varn", "Pomo Rusk", "Virek Dalo", "Saltu Fenn", "Bremm Tork",
            "Quill Zaro",
        ]
        let outlets = people.indices.map { ("outlet-\($0)", people[$0], boards[$0]) }
        var outputs: [Data] = []
        for _ in 0..<6 {
            let ws = try Harness.Workspace(copying: nil)
            defer { ws.remove() }
            for (outlet, name, org) in outlets {
                let folder = ws.drop.appendingPathComponent(outlet)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let text = template.map {
                    $0.replacingOccurrences(of: "NAME", with: name).replacingOccurrences(of: "ORG", with: org)
                }
                try (text.joined(separator: "\n") + "\n").write(
                    to: folder.appendingPathComponent("port.txt"), atomically: true, encoding: .utf8)
            }
            // The names differ in most sentences, so the copies only meet in one story when
            // the grouping is told to be generous.
            let config = try Harness.utcConfig(in: ws.root, extra: "[grouping]\nstory_similarity = 0.05\n")
            let result = try ws.once(config: config)
            #expect(result.status == 0, "\(result.stderr)")
            let (data, digest) = try ws.digestJSON()
            #expect(digest.stories.count == 1, "the eight copies are one story")
            #expect(digest.stories.first.map { !$0.summary.isEmpty } == true)
            outputs.append(data)
        }
        #expect(Set(outputs).count == 1, "\(Set(outputs).count) different digests from 6 runs")
    }

    @Test func digestHoldsNoAbsolutePaths() throws {
        let ws = try Harness.Workspace(copying: Harness.fixtures.appendingPathComponent("drop"))
        defer { ws.remove() }
        try ws.once(config: Harness.utcConfig(in: ws.root))
        for file in try ws.digestFiles("json") + ws.digestFiles("md") {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains(ws.root.path))
        }
    }

    @Test func missingDropFolderIsAClearError() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        try FileManager.default.removeItem(at: ws.drop)
        let result = try ws.once()
        #expect(result.status != 0)
        #expect(result.stderr.contains(ws.drop.path))
    }

    @Test func dayOptionCountsTheFilesOnThatDay() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        try Harness.write(Harness.article(1), to: ws.drop.appendingPathComponent("a.txt"))
        let bad = try Harness.run(
            [
                "once", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path, "--day",
                "2026-02-30",
            ])
        #expect(bad.status == 64 && bad.stderr.contains("--day must be a date"), "\(bad.stderr)")
        let ok = try Harness.run(
            [
                "once", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path, "--day",
                "2024-02-29",
            ])
        #expect(ok.status == 0, "\(ok.stderr)")
        let (_, digest) = try ws.digestJSON()
        #expect(digest["date"] as? String == "2024-02-29")
        #expect(try ws.digestFiles("json").map(\.lastPathComponent) == ["2024-02-29.json"])
        #expect(digest.stories.count == 1)
    }
}
