import Foundation
import Testing

/// The reader's outputs through the binary: the day's page, index.html, feed.atom (parsed by
/// feedparser), the links between days, and digest.keep_days.
@Suite struct PublishingTests {
    static func feed(_ ws: Harness.Workspace) throws -> [String: Any] {
        let script = Harness.packageRoot.appendingPathComponent("scripts/parse-feed.py").path
        let r = try Harness.run(
            [script, ws.digests.appendingPathComponent("feed.atom").path], executable: "/usr/bin/python3")
        guard r.status == 0 else {
            throw HarnessError("feedparser failed (python3-feedparser installed? scripts/install-deps):\n\(r.stderr)")
        }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func aDayRewrittenThreeTimesIsOneFeedEntryWithOneID() throws {
        let ws = try Harness.Workspace(copying: Harness.seeds)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root, extra: "feed_authority = \"news.example.org\"\n")
        var ids: [String] = []
        var updated: [String] = []
        for round in 0..<3 {
            if round == 1 {
                try Harness.write(Harness.article(1), to: ws.drop.appendingPathComponent("late.txt"))
            }
            if round > 0 { sleep(1) }  // `updated` is to the second: a change must be able to show
            #expect(try ws.once(config: config).status == 0)
            let feed = try Self.feed(ws)
            #expect(feed["bozo"] as? Bool == false, "\(feed["bozo_exception"] ?? "")")
            #expect(feed["version"] as? String == "atom10")
            let entries = feed["entries"] as? [[String: Any]] ?? []
            #expect(entries.count == 1)
            ids.append(entries.first?["id"] as? String ?? "")
            updated.append(entries.first?["updated"] as? String ?? "")
            #expect((entries.first?["content"] as? Int ?? 0) > 500, "the day's stories are the entry's content")
            let valid = try Harness.run(
                [
                    "--noout", "--relaxng", Harness.packageRoot.appendingPathComponent("schema/feed.rng").path,
                    ws.digests.appendingPathComponent("feed.atom").path,
                ], executable: "/usr/bin/xmllint")
            #expect(valid.status == 0, "feed.atom against schema/feed.rng: \(valid.stderr)")
        }
        #expect(Set(ids).count == 1 && ids[0].hasPrefix("tag:news.example.org,"), "\(ids)")
        #expect(updated[1] != updated[0], "a new file changed the day: updated moves")
        #expect(updated[2] == updated[1], "a rewrite with no change keeps updated")

        let day = try ws.digestFiles("json")[0].deletingPathExtension().lastPathComponent
        let page = try Self.text(ws.digests.appendingPathComponent(day + ".html"))
        let digest = try ws.digestJSON().object
        for story in digest.stories {
            #expect(page.contains("<li id=\"story-\(story["id"] as? String ?? "?")\">"))
        }
        let index = try Self.text(ws.digests.appendingPathComponent("index.html"))
        #expect(index.contains("<a href=\"\(day).html\">"))
        let first = digest.stories.first?["id"] as? String ?? "?"
        #expect(
            index.contains("<a href=\"\(day).html#story-\(first)\">"), "the index links its headlines to their stories")
    }

    @Test func daysLinkBothWaysAndKeepDaysDropsOldDaysButNotTheirMemory() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root, extra: "keep_days = 2\n")
        let days = ["2026-03-01", "2026-03-02", "2026-03-03"]
        for (i, day) in days.enumerated() {
            try Harness.write(Harness.article(10 + i), to: ws.drop.appendingPathComponent("a\(i).txt"))
            let r = try Harness.run([
                "once", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path, "--config",
                config.path, "--day", day,
            ])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: ws.digests.path))
        #expect(!names.contains("2026-03-01.json") && !names.contains("2026-03-01.html"), "past keep_days: \(names)")
        #expect(names.isSuperset(of: ["2026-03-02.html", "2026-03-03.html", "2026-03-03.json", "index.html"]))
        let archive = ws.state.appendingPathComponent("archive")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: archive.path).sorted() == ["2026-03-02", "2026-03-03"])
        // The pages link each to the other.
        let second = try Self.text(ws.digests.appendingPathComponent("2026-03-02.html"))
        let third = try Self.text(ws.digests.appendingPathComponent("2026-03-03.html"))
        #expect(second.contains("<a href=\"2026-03-03.html\" rel=\"next\">"), "written again when the next day came")
        #expect(third.contains("<a href=\"2026-03-02.html\" rel=\"prev\">"))
        let index = try Self.text(ws.digests.appendingPathComponent("index.html"))
        #expect(!index.contains("2026-03-01.html") && index.contains("2026-03-02.html"))
        // The store still counts the dropped day, and still knows its article.
        let status = try Harness.run(["status", "--state", ws.state.path, "--day", "2026-03-01"])
        #expect(status.stdout.contains("1 files"), "\(status.stdout)")
        try Harness.write(Harness.article(10), to: ws.drop.appendingPathComponent("copy.txt"))
        let again = try Harness.run([
            "once", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path, "--config",
            config.path, "--day", "2026-03-03",
        ])
        #expect(again.status == 0)
        let last =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: ws.digests.appendingPathComponent("2026-03-03.json"))) as? [String: Any] ?? [:]
        #expect(last.exactDuplicates.map { $0["file"] as? String } == ["copy.txt"])
    }
}
