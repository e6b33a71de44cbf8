import Foundation
import Testing

@Suite struct CheckConfigTests {
    @Test func shippedConfigIsValid() throws {
        let r = try Harness.run([
            "check-config", Harness.packageRoot.appendingPathComponent("config/newsdigest.toml").path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func everyErrorIsReportedWithItsLine() throws {
        let folder = try Harness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.toml")
        try """
        [digest]
        timezone = "Mars/Olympus"
        summary_words = 0

        [input]
        after_ingest = "shred"
        colour = "blue"
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try Harness.run(["check-config", file.path])
        #expect(r.status == 78)
        #expect(r.stderr.contains("bad.toml:2: digest.timezone"))
        #expect(r.stderr.contains("bad.toml:3: digest.summary_words"))
        #expect(r.stderr.contains("bad.toml:6: input.after_ingest"))
        #expect(r.stderr.contains("bad.toml:7: input.colour"))
    }

    @Test func syntaxErrorHasItsLine() throws {
        let folder = try Harness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("syntax.toml")
        try "[digest]\nsummary_words = = 3\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try Harness.run(["check-config", file.path])
        #expect(r.status == 78)
        #expect(r.stderr.contains("syntax.toml:2:"))
    }

    @Test func onceRefusesABadConfig() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root, extra: "summary_words = -1\n")
        let r = try ws.once(config: config)
        #expect(r.status != 0)
        #expect(r.stderr.contains("summary_words"))
    }
}
