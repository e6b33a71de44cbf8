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

    /// Inputs Fuzz/FuzzConfig found to abort the process inside the TOML library (toml++ in
    /// TOMLKit 0.6.0): each must be a config error on its line, not a crash (exit 134).
    @Test(arguments: [
        "[\u{E9}]", "[=]", "[.a]", "[[=]]", "[", "d=[}", "a=[1,}", "a={b=[}", "a=[\u{2028}]",
        "i=8*-------\u{01} 8#", "o=8*-------x 8#", "o=0098-08-0= 4",
    ])
    func inputsThatCrashedTheTOMLLibraryAreErrors(_ line: String) throws {
        let folder = try Harness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("fuzz.toml")
        try "[digest]\nsummary_words = 100\n\(line)\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try Harness.run(["check-config", file.path], environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr.contains("fuzz.toml:3: "), "\(r.stderr)")
    }
}
