import Foundation
import Glibc
import Testing

/// `newsdigest run` on real folders with real inotify: every way a file can arrive, and each
/// file ends exactly once in the digest. Serialized: each test runs a daemon and they share the
/// machine's inotify limits.
@Suite(.serialized) struct RunWatcherTests {
    static func config(_ ws: Harness.Workspace, extra: String = "") throws -> URL {
        try Harness.utcConfig(in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n" + extra)
    }

    static func expectOnce(
        _ seen: [String: Int], _ expected: Set<String>, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let missing = expected.subtracting(seen.keys)
        let extra = Set(seen.keys).subtracting(expected)
        #expect(
            missing.isEmpty && extra.isEmpty,
            "\(missing.count) missing (\(missing.sorted().prefix(5))), \(extra.count) unexpected (\(extra.sorted().prefix(5)))",
            sourceLocation: sourceLocation)
        let twice = seen.filter { $0.value != 1 }
        #expect(
            twice.isEmpty, "counted more than once: \(twice.keys.sorted().prefix(5))", sourceLocation: sourceLocation)
    }

    @Test func filesWrittenRenamedAndMovedInEachCountOnce() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let fm = FileManager.default
        try Harness.write(Harness.article(0), to: ws.drop.appendingPathComponent("before-start.txt"))
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()

        // Written in place (one close after writing).
        try Harness.write(Harness.article(1), to: ws.drop.appendingPathComponent("written.txt"))
        // Written under a partial name, renamed in the folder.
        let part = ws.drop.appendingPathComponent("renamed.txt.part")
        try Harness.write(Harness.article(2), to: part)
        try fm.moveItem(at: part, to: ws.drop.appendingPathComponent("renamed.txt"))
        // Written elsewhere, moved in.
        let outside = ws.root.appendingPathComponent("outside")
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try Harness.write(Harness.article(3), to: outside.appendingPathComponent("moved.txt"))
        try fm.moveItem(
            at: outside.appendingPathComponent("moved.txt"), to: ws.drop.appendingPathComponent("moved-in.txt"))
        // Into an outlet's subfolder made now.
        try fm.createDirectory(at: ws.drop.appendingPathComponent("herald"), withIntermediateDirectories: true)
        try Harness.write(Harness.article(4), to: ws.drop.appendingPathComponent("herald/sub.txt"))
        // The same text again: an exact duplicate, still accounted once.
        try Harness.write(Harness.article(1), to: ws.drop.appendingPathComponent("again.txt"))

        let expected: Set<String> = [
            "before-start.txt", "written.txt", "renamed.txt", "moved-in.txt", "herald/sub.txt", "again.txt",
        ]
        let seen = try ws.waitForDigest(of: expected, timeout: 30)
        Self.expectOnce(seen, expected)
        let digest = try ws.digestJSON().object
        // The same text twice: the one that arrived second is the duplicate (files commit in
        // the order they arrive, whichever worker finishes first).
        let duplicates = digest.exactDuplicates.compactMap { $0["file"] as? String }
        #expect(duplicates == ["again.txt"], "\(duplicates)")
        #expect(Harness.files(under: ws.drop).isEmpty, "inputs left in the drop folder")

        let (status, seconds) = try daemon.stop()
        #expect(status == 0, "\(daemon.logText)")
        #expect(seconds < 2, "SIGTERM took \(seconds) s")
    }

    /// Two workers, a file that takes long to analyse and then a small one with the same words:
    /// the small one is analysed first, but the files are committed in the order they arrived,
    /// so the second is the duplicate, as `once` would decide over the same files.
    @Test func filesCommitInTheOrderTheyArrived() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws, extra: "workers = 2\n"))
        try daemon.waitUntilWatching()
        let outside = ws.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        var expected: Set<String> = []
        var seconds: [String] = []
        for pair in 0..<3 {
            let text = Harness.article(40 + pair)
            // The same words (the exact key), with 3 MB of punctuation that takes a while to read.
            let slow = text + String(repeating: String(repeating: "- . , ; : ! ? ", count: 10) + "\n", count: 25_000)
            for (name, body) in [("first-\(pair).txt", slow), ("second-\(pair).txt", text)] {
                try Harness.write(body, to: outside.appendingPathComponent(name))
                try FileManager.default.moveItem(
                    at: outside.appendingPathComponent(name), to: ws.drop.appendingPathComponent(name))
                expected.insert(name)
            }
            seconds.append("second-\(pair).txt")
        }
        let seen = try ws.waitForDigest(of: expected, timeout: 30)
        Self.expectOnce(seen, expected)
        let duplicates = try ws.digestJSON().object.exactDuplicates.compactMap { $0["file"] as? String }
        #expect(duplicates.sorted() == seconds, "\(duplicates)")
        let (status, _) = try daemon.stop()
        #expect(status == 0, "\(daemon.logText)")
    }

    @Test func partialNamesWaitUntilRenamed() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()
        let names = ["a.txt.part", ".hidden.txt", "b.txt.tmp", "c.txt~", "d.txt.crdownload"]
        for (i, name) in names.enumerated() {
            try Harness.write(Harness.article(10 + i), to: ws.drop.appendingPathComponent(name))
        }
        try Harness.write(Harness.article(20), to: ws.drop.appendingPathComponent("marker.txt"))
        _ = try ws.waitForDigest(of: ["marker.txt"], timeout: 30)
        usleep(300_000)
        #expect(Harness.files(under: ws.drop) == names.sorted(), "a partial name was taken")
        #expect(Set(ws.accounted().keys) == ["marker.txt"])

        for name in names {
            try FileManager.default.moveItem(
                at: ws.drop.appendingPathComponent(name),
                to: ws.drop.appendingPathComponent("done-" + name.filter { $0 != "~" && $0 != "." } + ".txt"))
        }
        let expected = Set(["marker.txt"] + names.map { "done-" + $0.filter { $0 != "~" && $0 != "." } + ".txt" })
        Self.expectOnce(try ws.waitForDigest(of: expected, timeout: 30), expected)
        #expect(try daemon.stop().status == 0)
    }

    @Test func fiftyNewSubfoldersFilledRightAfterMkdir() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()
        var expected: Set<String> = []
        for d in 0..<50 {
            let folder = ws.drop.appendingPathComponent("outlet\(d)")
            // No pause between mkdir and the first files: the watch on the new folder does not
            // exist yet when they are written; only the scan after watching finds them.
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            for f in 0..<100 {
                try Harness.write(Harness.article(d * 100 + f, story: d), to: folder.appendingPathComponent("\(f).txt"))
                expected.insert("outlet\(d)/\(f).txt")
            }
        }
        Self.expectOnce(try ws.waitForDigest(of: expected, timeout: 120), expected)
        #expect(try daemon.stop().status == 0)
    }

    @Test func wholeTreeMovedIn() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()
        let tree = ws.root.appendingPathComponent("tree")
        var expected: Set<String> = []
        for (i, sub) in ["wire", "wire/europe", "wire/europe/east", "herald"].enumerated() {
            let folder = tree.appendingPathComponent(sub)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for f in 0..<50 {
                try Harness.write(Harness.article(i * 50 + f), to: folder.appendingPathComponent("\(f).txt"))
                expected.insert("batch/\(sub)/\(f).txt")
            }
        }
        // One rename: inotify reports the folder, never the 200 files inside it.
        try FileManager.default.moveItem(at: tree, to: ws.drop.appendingPathComponent("batch"))
        Self.expectOnce(try ws.waitForDigest(of: expected, timeout: 60), expected)
        // Files written into the moved-in folders afterwards are seen too: they are watched.
        try Harness.write(Harness.article(999), to: ws.drop.appendingPathComponent("batch/wire/europe/east/late.txt"))
        expected.insert("batch/wire/europe/east/late.txt")
        Self.expectOnce(try ws.waitForDigest(of: expected, timeout: 30), expected)
        #expect(try daemon.stop().status == 0)
    }

    /// Frozen with SIGSTOP while more files arrive than the kernel's inotify queue holds; resumed.
    /// The queue overflows, the daemon rescans, and each file still counts once.
    @Test func frozenThroughAFloodPastTheInotifyQueue() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()
        let count = 20_000
        // The outlets' folders exist and are watched first, so the frozen daemon's queue takes
        // every file's events (a folder made while frozen would only be scanned later).
        for outlet in ["wire", "herald", "tribune", "courier", "gazette", "ledger", "post", "times"] {
            try FileManager.default.createDirectory(
                at: ws.drop.appendingPathComponent(outlet), withIntermediateDirectories: false)
        }
        usleep(500_000)
        daemon.signal(SIGSTOP)
        let writer = try Harness.flood(into: ws.drop, count: count, seed: 7)
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        let expected = Set(Harness.files(under: ws.drop))
        daemon.signal(SIGCONT)
        #expect(expected.count == count)
        let seen = try ws.waitForDigest(of: expected, timeout: 600)
        Self.expectOnce(seen, expected)
        let maxQueued =
            Int(
                (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        // Each file costs two events (IN_CREATE, IN_MOVED_TO) and the generator a third for its
        // temp name: past the queue unless this machine raised the limit a lot.
        if maxQueued < 2 * count {
            #expect(daemon.logText.contains("inotify queue overflowed"), "the flood did not overflow the queue")
        }
        #expect(try daemon.stop(timeout: 60).status == 0)
    }

    @Test func dropFolderRemovedStopsWithNoInputStatus() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()
        try FileManager.default.removeItem(at: ws.drop)
        try Harness.waitFor(timeout: 10, "the daemon to exit") { !daemon.process.isRunning }
        #expect(daemon.process.terminationStatus == 66)
        #expect(daemon.logText.contains("was deleted or moved away"))
    }

    @Test func sighupKeepsTheRunningConfigWhenTheNewOneIsBad() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Self.config(ws)
        let daemon = try DaemonProcess(ws, config: config)
        try daemon.waitUntilWatching()
        try "[digest]\ntimezone = \"UTC\"\nsummary_words = \"many\"\n".write(
            to: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try Harness.waitFor(timeout: 10, "the reload to be reported") { daemon.logText.contains("not loaded") }
        #expect(daemon.logText.contains("summary_words: must be a whole number"))
        #expect(daemon.process.isRunning)
        // Still working after the bad reload; then a good one with after_ingest = "keep".
        try Harness.write(Harness.article(1), to: ws.drop.appendingPathComponent("one.txt"))
        _ = try ws.waitForDigest(of: ["one.txt"], timeout: 30)
        try "[digest]\ntimezone = \"UTC\"\n[input]\nafter_ingest = \"keep\"\n".write(
            to: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try Harness.waitFor(timeout: 10, "the reload") { daemon.logText.contains("SIGHUP: re-read") }
        try Harness.write(Harness.article(2), to: ws.drop.appendingPathComponent("two.txt"))
        _ = try ws.waitForDigest(of: ["one.txt", "two.txt"], timeout: 30)
        #expect(Harness.files(under: ws.drop) == ["two.txt"], "after_ingest = keep was not applied")
        #expect(try daemon.stop().status == 0)
    }

    @Test func statusReadsTheStoreWhileTheDaemonRuns() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Self.config(ws)
        let daemon = try DaemonProcess(ws, config: config)
        try daemon.waitUntilWatching()
        try Harness.write(Harness.article(1, story: 1), to: ws.drop.appendingPathComponent("a.txt"))
        try Harness.write(Harness.article(1, story: 1), to: ws.drop.appendingPathComponent("a-again.txt"))
        try Harness.write("\u{0}\u{1}binary", to: ws.drop.appendingPathComponent("bad.txt"))
        _ = try ws.waitForDigest(of: ["a.txt", "a-again.txt", "bad.txt"], timeout: 30)
        let result = try Harness.run(["status", "--state", ws.state.path, "--config", config.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(": 3 files: 1 stories, 1 articles"), "\(result.stdout)")
        #expect(result.stdout.contains("1 exact duplicates, 1 rejected"), "\(result.stdout)")
        #expect(try daemon.stop().status == 0)
    }

    /// The daemon rewrites the day after every file, keeping the summaries of the stories that
    /// did not change; its last digest must be the one `once` writes for the same files in the
    /// same order, byte for byte.
    @Test func digestRewrittenFileByFileEqualsOnce() throws {
        let fm = FileManager.default
        let sources = [Harness.seeds, Harness.fixtures.appendingPathComponent("drop")]
        var files: [(from: URL, name: String)] = []
        for (i, folder) in sources.enumerated() {
            for rel in Harness.files(under: folder) where rel.hasSuffix(".txt") || rel.hasSuffix(".md") {
                files.append(
                    (folder.appendingPathComponent(rel), "\(i)-" + rel.replacingOccurrences(of: "/", with: "-")))
            }
        }
        files.sort { $0.name < $1.name }
        #expect(files.count >= 10)

        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let daemon = try DaemonProcess(ws, config: Self.config(ws))
        try daemon.waitUntilWatching()
        for (n, f) in files.enumerated() {
            try fm.copyItem(at: f.from, to: ws.root.appendingPathComponent(f.name))
            try fm.moveItem(at: ws.root.appendingPathComponent(f.name), to: ws.drop.appendingPathComponent(f.name))
            _ = try ws.waitForDigest(of: Set(files[...n].map(\.name)), timeout: 30)
        }
        #expect(try daemon.stop().status == 0, "\(daemon.logText)")
        let byDaemon = try ws.digestJSON().data

        let batch = try Harness.Workspace(copying: nil)
        defer { batch.remove() }
        for f in files { try fm.copyItem(at: f.from, to: batch.drop.appendingPathComponent(f.name)) }
        let result = try batch.once(config: Harness.utcConfig(in: batch.root))
        #expect(result.status == 0, "\(result.stderr)")
        let byOnce = try batch.digestJSON().data
        #expect(String(decoding: byDaemon, as: UTF8.self) == String(decoding: byOnce, as: UTF8.self))
        // The page too, written incrementally from kept story items, and the index.
        for ext in ["html", "md"] {
            let daemonFile = try String(contentsOf: ws.digestFiles(ext)[0], encoding: .utf8)
            let onceFile = try String(contentsOf: batch.digestFiles(ext)[0], encoding: .utf8)
            #expect(daemonFile == onceFile, "\(ext) differs")
        }
        let index = { (w: Harness.Workspace) in
            try String(contentsOf: w.digests.appendingPathComponent("index.html"), encoding: .utf8)
        }
        #expect(try index(ws) == index(batch))
    }
}
