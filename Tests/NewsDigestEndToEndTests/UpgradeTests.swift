import Foundation
import GRDB
import Testing

/// A store written by the previous release is migrated in place at the first start: its
/// articles are back-filled from their stored text, with progress logged, and the digests stay
/// what that release wrote, byte for byte. Nothing is lost or counted again.
@Suite struct UpgradeTests {
    static let fixture = Harness.fixtures.appendingPathComponent("store-v1")
    static let days = ["2026-03-02", "2026-03-03"]

    /// A work area whose state folder holds a copy of the previous release's store.
    static func workspaceWithOldStore() throws -> Harness.Workspace {
        let ws = try Harness.Workspace(copying: nil)
        try FileManager.default.createDirectory(at: ws.state, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: fixture.appendingPathComponent("newsdigest.sqlite"),
            to: ws.state.appendingPathComponent("newsdigest.sqlite"))
        return ws
    }

    @Test func aStoreOfThePreviousReleaseIsUpgradedInPlace() throws {
        let ws = try Self.workspaceWithOldStore()
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root)
        for (run, day) in Self.days.enumerated() {
            let result = try Harness.run([
                "once", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path,
                "--config", config.path, "--day", day,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            // Back-filled once, at the first start, with each day's progress said.
            if run == 0 {
                #expect(result.stderr.contains("upgrading 2 day(s)"), "\(result.stderr)")
                #expect(result.stderr.contains("upgraded day 2026-03-02 (1 of 2): 6 article(s)"), "\(result.stderr)")
                #expect(result.stderr.contains("upgraded day 2026-03-03 (2 of 2): 1 article(s)"), "\(result.stderr)")
            } else {
                #expect(!result.stderr.contains("upgrad"), "\(result.stderr)")
            }
            // What that release wrote, plus what was added since: each story's thread.
            for ext in ["json", "md"] {
                let expected = try String(
                    contentsOf: Self.fixture.appendingPathComponent("\(day).\(ext)"), encoding: .utf8)
                let written = try String(
                    contentsOf: ws.digests.appendingPathComponent("\(day).\(ext)"), encoding: .utf8)
                let (kept, threads) = Self.withoutThreads(written)
                #expect(kept == expected, "\(day).\(ext) differs from the previous release's")
                if ext == "json" {
                    #expect(threads == expected.components(separatedBy: "\"headline\": ").count - 1)
                }
            }
        }
        let db = try DatabaseQueue(path: ws.state.appendingPathComponent("newsdigest.sqlite").path)
        let (integrity, inputs, articles, pending) = try db.read { db in
            (
                try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM input"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM article"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM upgrade_pending")
            )
        }
        #expect(integrity == ["ok"])
        #expect(inputs == 10)
        #expect(articles == 7)
        #expect(pending == 0)
    }

    /// The digest without its thread lines (JSON) or "Continuing since" lines (Markdown), and how
    /// many thread lines there were.
    static func withoutThreads(_ text: String) -> (String, Int) {
        var lines: [Substring] = []
        var threads = 0
        var skipBlank = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if skipBlank && line.isEmpty {
                skipBlank = false
                continue
            }
            skipBlank = false
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("\"thread\": ") || trimmed.hasPrefix("\"absorbed\": ") {
                if trimmed.hasPrefix("\"thread\": ") { threads += 1 }
                continue
            }
            if line.hasPrefix("_Continuing since ") {
                skipBlank = true
                continue
            }
            lines.append(line)
        }
        return (lines.joined(separator: "\n"), threads)
    }

    @Test func theUpgradedStoreTakesNewFiles() throws {
        // A day rebuilt from back-filled rows goes on: one more file is counted once, and the
        // exact duplicate across days still points at the first day's article.
        let upgraded = try Self.workspaceWithOldStore()
        defer { upgraded.remove() }
        let config = try Harness.utcConfig(in: upgraded.root)
        let late = upgraded.drop.appendingPathComponent("gazette")
        try FileManager.default.createDirectory(at: late, withIntermediateDirectories: true)
        try """
        Kessel harbour ramp repaired after storm
        Engineers finished repairing the harbour ramp at Kessel on Tuesday night, and the port authority said the Varno island ferry would keep to its winter timetable.
        """.write(to: late.appendingPathComponent("ramp.txt"), atomically: true, encoding: .utf8)
        let result = try Harness.run([
            "once", "--drop", upgraded.drop.path, "--state", upgraded.state.path, "--digests",
            upgraded.digests.path, "--config", config.path, "--day", "2026-03-03",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try Data(contentsOf: upgraded.digests.appendingPathComponent("2026-03-03.json"))
        let digest = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(digest.counts["files"] == 3)
        #expect(digest.exactDuplicates.count == 1)
        #expect(digest.stories.flatMap { $0.articles }.count == 2)
        // The exact duplicate across days still points at the article of the first day.
        let first =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.fixture.appendingPathComponent("2026-03-02.json"))) as? [String: Any]
        let firstIDs = Set((first ?? [:]).stories.flatMap { $0.articles }.map { $0["id"] as! String })
        #expect(firstIDs.contains(digest.exactDuplicates[0]["duplicate_of"] as! String))
    }
}
