import Foundation
import Glibc
import Testing

/// Everything a misbehaving scraper can drop, dropped into one running daemon beside good
/// articles: each bad file is rejected with its reason (log, reason file, digest), each thing
/// that is not a file is skipped without being opened in a way that blocks, and the daemon
/// stays up throughout.
@Suite struct BadInputTests {
    struct Expectation {
        let name: String
        let rejected: Bool
        /// For a rejection, a phrase of its reason; for an article, the encoding logged (if any).
        let phrase: String?
    }

    static var corpus: URL { Harness.fixtures.appendingPathComponent("bad-input") }

    static func expectations() throws -> [Expectation] {
        let text = try String(contentsOf: corpus.appendingPathComponent("expected.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Expectation(name: f[0], rejected: f[1] == "rejected", phrase: f.count > 2 ? f[2] : nil)
        }
    }

    /// Makes `name` (raw bytes allowed) appear in `folder` in one rename, as scrapers should.
    static func renameIn(_ from: String, to folder: URL, name: [UInt8]) throws {
        let target = Array(folder.path.utf8) + [0x2F] + name + [0]
        let rc = target.withUnsafeBufferPointer { t in
            rename(from, UnsafeRawPointer(t.baseAddress!).assumingMemoryBound(to: CChar.self))
        }
        if rc != 0 { throw HarnessError("rename \(from): \(String(cString: strerror(errno)))") }
    }

    @Test func badFilesAreRejectedWithTheirReasonAndTheDaemonGoesOn() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let outside = ws.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let fm = FileManager.default

        // Already there at start: the start-up scan must skip these without hanging on them.
        #expect(mkfifo(ws.drop.appendingPathComponent("early-pipe.txt").path, 0o644) == 0)
        try fm.createSymbolicLink(
            atPath: ws.drop.appendingPathComponent("early-passwd.txt").path, withDestinationPath: "/etc/passwd")

        let config = try Harness.utcConfig(in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n")
        let daemon = try DaemonProcess(ws, config: config)
        try daemon.waitUntilWatching()
        let pid = daemon.pid

        var expectedFiles: Set<String> = []
        var good = 0
        func dropGood() throws {
            good += 1
            let name = "good-\(good).txt"
            try Harness.write(Harness.article(100 + good), to: ws.drop.appendingPathComponent(name))
            expectedFiles.insert(name)
        }

        // The corpus, one file at a time with a good article after each.
        let expectations = try Self.expectations()
        #expect(expectations.count >= 20)
        for e in expectations {
            try fm.copyItem(at: Self.corpus.appendingPathComponent(e.name), to: ws.drop.appendingPathComponent(e.name))
            expectedFiles.insert(e.name)
            try dropGood()
        }

        // Made here: too large (5 MiB, over the default 4 MiB), one 1 MB line without an end.
        let big = String(repeating: "pier crews worked overnight ", count: 5 * 1024 * 1024 / 28 + 1)
        try Harness.write(big, to: outside.appendingPathComponent("big"))
        try Self.renameIn(outside.appendingPathComponent("big").path, to: ws.drop, name: Array("big.txt".utf8))
        expectedFiles.insert("big.txt")
        let line = "Endless line\n" + String(repeating: "crews repaired the pier and ", count: 1_000_000 / 28)
        try Harness.write(line, to: ws.drop.appendingPathComponent("one-mb-line.txt"))
        expectedFiles.insert("one-mb-line.txt")

        // Odd names, each named exactly in the JSON: a newline, and a name that spells the
        // newline's escape (two inputs, two names); spaces; bytes that are not UTF-8 (those
        // bytes as %XX and "%" as %25, flagged file_escaped).
        let oddNames: [([UInt8], String)] = [
            (Array("line\nbreak.txt".utf8), "line\nbreak.txt"),
            (Array("line%0Abreak.txt".utf8), "line%0Abreak.txt"),
            (Array("with  two spaces.txt".utf8), "with  two spaces.txt"),
            (Array("caf".utf8) + [0xE9] + Array("%.txt".utf8), "caf%E9%25.txt"),
        ]
        for (i, (bytes, shown)) in oddNames.enumerated() {
            let tmp = outside.appendingPathComponent("odd-\(i)")
            try Harness.write(Harness.article(200 + i), to: tmp)
            try Self.renameIn(tmp.path, to: ws.drop, name: bytes)
            expectedFiles.insert(shown)
        }

        // Not files: moved in by rename, so the watcher reports each one.
        var skipped = ["early-pipe.txt", "early-passwd.txt"]
        #expect(mkfifo(outside.appendingPathComponent("pipe").path, 0o644) == 0)
        try Self.renameIn(outside.appendingPathComponent("pipe").path, to: ws.drop, name: Array("pipe.txt".utf8))
        try fm.createSymbolicLink(
            atPath: outside.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        try Self.renameIn(outside.appendingPathComponent("passwd").path, to: ws.drop, name: Array("passwd.txt".utf8))
        try fm.createSymbolicLink(
            atPath: outside.appendingPathComponent("inner").path, withDestinationPath: "good-1.txt")
        try Self.renameIn(outside.appendingPathComponent("inner").path, to: ws.drop, name: Array("inner-link.txt".utf8))
        let socketPath = outside.appendingPathComponent("socket").path
        let bound = try Harness.run(
            ["python3", "-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", socketPath],
            executable: "/usr/bin/env")
        #expect(bound.status == 0, "\(bound.stderr)")
        try Self.renameIn(socketPath, to: ws.drop, name: Array("socket.txt".utf8))
        skipped += ["pipe.txt", "passwd.txt", "inner-link.txt", "socket.txt"]
        if getuid() == 0 {
            #expect(mknod(outside.appendingPathComponent("dev").path, S_IFCHR | 0o644, (1 << 8) | 3) == 0)
            try Self.renameIn(outside.appendingPathComponent("dev").path, to: ws.drop, name: Array("device.txt".utf8))
            skipped.append("device.txt")
        }

        // Two names of one file: one input, counted once, and neither name left behind.
        try Harness.write(Harness.article(300), to: outside.appendingPathComponent("hard-a"))
        #expect(link(outside.appendingPathComponent("hard-a").path, outside.appendingPathComponent("hard-b").path) == 0)
        try Self.renameIn(outside.appendingPathComponent("hard-a").path, to: ws.drop, name: Array("hard-a.txt".utf8))
        try Self.renameIn(outside.appendingPathComponent("hard-b").path, to: ws.drop, name: Array("hard-b.txt".utf8))
        try dropGood()

        var seen: [String: Int] = [:]
        try Harness.waitFor(timeout: 60, every: 0.2, "every file in the digest:\n\(daemon.logText)") {
            seen = ws.accounted()
            let hard = (seen["hard-a.txt"] ?? 0) + (seen["hard-b.txt"] ?? 0)
            return expectedFiles.allSatisfy { seen[$0] != nil } && hard >= 1
        }
        // The second name of the hard link is moved out once its first is committed.
        try Harness.waitFor(timeout: 10, "both hard-link names out of the drop folder") {
            !fm.fileExists(atPath: ws.drop.appendingPathComponent("hard-a.txt").path)
                && !fm.fileExists(atPath: ws.drop.appendingPathComponent("hard-b.txt").path)
        }
        usleep(500_000)  // a second count of anything would show up by now
        seen = ws.accounted()
        #expect(daemon.process.isRunning && daemon.pid == pid, "the daemon exited:\n\(daemon.logText)")

        let (data, digest) = try ws.digestJSON()
        #expect(try OnceTests.validator().validate(data) == [])
        #expect((seen["hard-a.txt"] ?? 0) + (seen["hard-b.txt"] ?? 0) == 1, "the hard link counted twice")
        for (file, n) in seen where !file.hasPrefix("hard-") {
            #expect(n == 1, "\(file) counted \(n) times")
            #expect(expectedFiles.contains(file), "\(file) in the digest, not expected")
        }
        for f in expectedFiles { #expect(seen[f] == 1, "\(f) not in the digest once") }

        let log = daemon.logText
        var reasons: [String: String] = [:]
        for r in digest.rejected { reasons[r["file"] as! String] = r["reason"] as? String }
        var articleFiles: Set<String> = []
        for story in digest.stories { for a in story.articles { articleFiles.insert(a["file"] as! String) } }
        let rejectedFolder = ws.state.appendingPathComponent("rejected")
        for e in expectations {
            if e.rejected {
                let reason = try #require(reasons[e.name], "\(e.name) was not rejected")
                #expect(reason.contains(e.phrase ?? ""), "\(e.name): reason \"\(reason)\"")
                #expect(log.contains("rejected \(e.name): \(reason)"), "\(e.name): no log line")
                let note = try String(
                    contentsOf: rejectedFolder.appendingPathComponent(e.name + ".reason"), encoding: .utf8)
                #expect(note.contains("reason: \(reason)"))
                #expect(fm.fileExists(atPath: rejectedFolder.appendingPathComponent(e.name).path))
            } else {
                #expect(articleFiles.contains(e.name), "\(e.name) is not an article: \(reasons[e.name] ?? "")")
                if let encoding = e.phrase {
                    #expect(log.contains("\(e.name): not UTF-8, decoded as \(encoding)"))
                }
            }
        }
        #expect(reasons["big.txt"]?.contains("file too large") == true, "\(reasons["big.txt"] ?? "")")
        #expect(articleFiles.contains("one-mb-line.txt"))
        #expect(
            articleFiles.isSuperset(of: [
                "line\nbreak.txt", "line%0Abreak.txt", "caf%E9%25.txt", "with  two spaces.txt",
            ]))
        let escaped = digest.stories.flatMap(\.articles).filter { $0["file_escaped"] as? Bool == true }
        #expect(
            escaped.map { $0["file"] as? String } == ["caf%E9%25.txt"], "only the name that is not UTF-8 is escaped")
        let markdown = try String(contentsOf: ws.digestFiles("md")[0], encoding: .utf8)
        #expect(!markdown.contains("line\nbreak"), "a newline of a file name reached the Markdown")

        // Skipped, logged, left where they are, never followed: nothing of /etc/passwd anywhere.
        let dropLeft = Set(try fm.contentsOfDirectory(atPath: ws.drop.path))
        #expect(dropLeft == Set(skipped), "left in the drop folder: \(dropLeft.sorted())")
        for name in skipped {
            #expect(seen[name] == nil, "\(name) is not a file but reached the digest")
            #expect(log.contains("skipped \(name): "), "no log line for \(name)")
            #expect(!log.contains("rejected \(name)"))
        }
        let passwdLine = try String(contentsOfFile: "/etc/passwd", encoding: .utf8).split(separator: "\n")[0]
        #expect(!String(decoding: data, as: UTF8.self).contains(passwdLine))
        let archived = Harness.files(under: ws.state.appendingPathComponent("archive"))
        for f in archived {
            let text = (try? String(contentsOf: ws.state.appendingPathComponent("archive/" + f), encoding: .utf8)) ?? ""
            #expect(!text.contains(passwdLine), "\(f) holds /etc/passwd")
        }

        let (status, _) = try daemon.stop()
        #expect(status == 0, "\(daemon.logText)")
        #expect(!daemon.logText.contains("Fatal error"))
    }
}
