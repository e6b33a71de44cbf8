import Foundation
import GRDB
import Glibc
import Testing

/// Batch files as crawlers write them (Scrapy's `-o items.jsonl`, `-o items.json`), through the
/// real binary: every record once with its number, a bad record rejected alone, and a batch
/// cut short by kill -9 taken up where it stopped.
@Suite(.serialized) struct BatchInputTests {
    static let words =
        "harbour council budget school river bridge station market court hospital police teacher union strike election museum library airport railway storm flood fire factory farm wine festival concert theatre stadium league coach player season record price tax rent housing water power grid solar wind turbine road tunnel ferry port ship cargo trade export import bank loan rate growth jobs"
        .split(separator: " ")

    /// Record `n` as a crawler writes it, one JSON object on one line: five records make a
    /// story (same district and plan), each with words of its own, so none repeats another.
    static func record(_ n: Int) -> String {
        let story = n % (n > 100 ? 2000 : 7)
        var state = UInt64(n) &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        var own: [Substring] = []
        for _ in 0..<40 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            own.append(words[Int(state >> 33) % words.count])
        }
        let object: [String: Any] = [
            "title": "Report \(n) on matter \(story)",
            "text":
                "Officials in district \(story) said on Tuesday that plan \(story) would go ahead. \(own.joined(separator: " ")). Residents of district \(story) were told to expect changes.",
            "url": "https://wire.example/items/\(n)",
            "source": "Wire \(n % 3)",
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func everyRecordOnceAndABadRecordRejectedAlone() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        try FileManager.default.createDirectory(
            at: ws.drop.appendingPathComponent("crawler"), withIntermediateDirectories: true)
        // JSON Lines: records on lines 1-2 and 4-5, a blank line 3, a broken line 6, a line
        // that is no object (7), one over input.max_file_bytes (8), and a last line with no
        // newline (9).
        let lines = [
            Self.record(1), Self.record(2), "", Self.record(3), Self.record(4), #"{"title": "cut off", "te"#,
            "[1, 2]", #"{"title": "long", "text": ""# + String(repeating: "word ", count: 2000) + #""}"#,
            Self.record(5),
        ]
        try Harness.write(lines.joined(separator: "\n"), to: ws.drop.appendingPathComponent("crawler/items.jsonl"))
        // A JSON array, strings holding brackets and commas; one element with no text.
        let array =
            "[\n" + [Self.record(6), #"{"title": "", "text": "  "}"#, Self.record(7)].joined(separator: ",\n")
            + "\n]\n"
        try Harness.write(array, to: ws.drop.appendingPathComponent("items.json"))
        try Harness.write("[]", to: ws.drop.appendingPathComponent("empty.json"))
        let config = try Harness.utcConfig(in: ws.root, extra: "[input]\nsettle_ms = 0\nmax_file_bytes = 4096\n")
        let r = try ws.once(config: config)
        #expect(r.status == 0, "\(r.stderr)")
        let (data, digest) = try ws.digestJSON()
        #expect(try OnceTests.validator().validate(data) == [])
        let seen = OnceTests.accounted(digest)
        let expected =
            ["crawler/items.jsonl#1", "crawler/items.jsonl#2"] + (4...9).map { "crawler/items.jsonl#\($0)" }
            + (1...3).map { "items.json#\($0)" } + ["empty.json"]
        #expect(seen == Dictionary(uniqueKeysWithValues: expected.map { ($0, 1) }), "\(seen)")
        var reasons: [String: String] = [:]
        for entry in digest.rejected { reasons[OnceTests.name(entry)] = entry["reason"] as? String }
        #expect(
            Set(reasons.keys) == [
                "crawler/items.jsonl#6", "crawler/items.jsonl#7", "crawler/items.jsonl#8", "items.json#2", "empty.json",
            ])
        #expect(reasons["crawler/items.jsonl#6"]?.hasPrefix("invalid JSON") == true)
        #expect(reasons["crawler/items.jsonl#7"]?.contains("wrong shape") == true)
        #expect(reasons["crawler/items.jsonl#8"]?.contains("max_file_bytes") == true)
        #expect(reasons["empty.json"]?.contains("no records") == true)
        // Counts add up per record, and the log names each bad record.
        #expect(digest.counts["files"] == 12 && digest.counts["rejected"] == 5)
        #expect(r.stderr.contains("rejected crawler/items.jsonl, record 6: invalid JSON"))
        // The batches are archived whole; each bad record is set aside beside its reason, and
        // a batch with no records at all is rejected as a file is.
        let archived = Harness.files(under: ws.state.appendingPathComponent("archive"))
        #expect(
            archived.map { String($0.split(separator: "/", maxSplits: 1)[1]) } == ["crawler/items.jsonl", "items.json"])
        let setAside = Harness.files(under: ws.state.appendingPathComponent("rejected"))
        #expect(
            setAside == [
                "crawler/items.jsonl.record-6", "crawler/items.jsonl.record-6.reason", "crawler/items.jsonl.record-7",
                "crawler/items.jsonl.record-7.reason", "empty.json", "empty.json.reason", "items.json.record-2",
                "items.json.record-2.reason",
            ])
        let six = try String(
            contentsOf: ws.state.appendingPathComponent("rejected/crawler/items.jsonl.record-6"), encoding: .utf8)
        #expect(six == lines[5])

        // The same batch dropped again under another name is exact duplicates, never new
        // articles; running again over nothing new counts nothing.
        try Harness.write(lines.joined(separator: "\n"), to: ws.drop.appendingPathComponent("again.jsonl"))
        #expect(try ws.once(config: config).status == 0)
        let again = try ws.digestJSON().object
        let duplicates = again.exactDuplicates.map(OnceTests.name).filter { $0.hasPrefix("again.jsonl") }
        #expect(
            duplicates.sorted() == [
                "again.jsonl#1", "again.jsonl#2", "again.jsonl#4", "again.jsonl#5", "again.jsonl#9",
            ])
        #expect(again.counts["files"] == 12 + 8)
    }

    @Test func extractPrintsEachRecordInTheOrderGiven() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let files = ["a.txt", "items.jsonl", "c.json"].map { ws.drop.appendingPathComponent($0).path }
        try Harness.write(Harness.article(1), to: URL(fileURLWithPath: files[0]))
        try Harness.write(Self.record(2) + "\n{broken\n", to: URL(fileURLWithPath: files[1]))
        try Harness.write(Self.record(3), to: URL(fileURLWithPath: files[2]))
        let r = try Harness.run(["extract", "--format", "json"] + files)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try r.stdout.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        // One line per file of one article, one per record of the batch, in the order given.
        #expect(
            lines.map { OnceTests.name($0).split(separator: "/").last.map(String.init) } == [
                "a.txt", "items.jsonl#1", "items.jsonl#2", "c.json",
            ])
        #expect(lines[1]["title"] as? String == "Report 2 on matter 2")
        #expect((lines[2]["error"] as? String)?.hasPrefix("invalid JSON") == true)
    }

    /// 10,000 records with a few broken lines, the daemon killed with -9 while it reads them:
    /// restarted, it takes the batch up after its last committed record, and every record is
    /// in the digest once, as `once` gives it.
    @Test func aBatchKilledMidwayIsTakenUpWhereItStopped() throws {
        let count = 10_000
        let broken: Set<Int> = [17, 4_321, 9_999]
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n")
        var text = ""
        for n in 1...count { text += (broken.contains(n) ? #"{"title": "broken"# : Self.record(n)) + "\n" }
        let staged = ws.root.appendingPathComponent("items.jsonl")
        try Harness.write(text, to: staged)

        var daemon = try DaemonProcess(ws, config: config, logName: "run-0.log")
        try daemon.waitUntilWatching()
        // Renamed in whole, as a crawler should; then killed once some chunks are committed.
        #expect(rename(staged.path, ws.drop.appendingPathComponent("items.jsonl").path) == 0)
        let store = ws.state.appendingPathComponent("newsdigest.sqlite").path
        var committed = 0
        try Harness.waitFor(timeout: 60, every: 0.02, "records committed") {
            committed = Self.records(store)
            return committed >= 200
        }
        daemon.kill9()
        let atKill = Self.records(store)
        #expect(atKill < count, "the batch was done before the kill")
        daemon = try DaemonProcess(ws, config: config, logName: "run-1.log")
        try daemon.waitUntilWatching(timeout: 120)
        try Harness.waitFor(timeout: 60, "the batch taken up again") { daemon.logText.contains("taking up the batch") }
        let restart = daemon.logText
        let resumed = restart.firstMatch(of: /taking up the batch after record (\d+)/).flatMap { Int($0.1) }
        #expect(resumed.map { $0 >= atKill - 64 && $0 < count } == true, "\(restart.prefix(2000))")
        // Then stopped as systemd stops it, mid-batch: it stops after the chunk in hand, at once,
        // and the next start takes the batch up again.
        // The digest is written while the batch is read, not only at its end: the store's
        // owner gives its queue back between chunks.
        var shown = 0
        try Harness.waitFor(timeout: 60, every: 0.2, "a digest written mid-batch (\(shown) records in it)") {
            shown = ws.accounted().count
            return shown > atKill && Self.records(store) >= atKill + 500
        }
        #expect(shown < count, "the batch was done before a digest showed part of it")
        let stopped = try daemon.stop(timeout: 20)
        #expect(stopped.status == 0 && stopped.seconds < 10, "\(stopped)")
        let atStop = Self.records(store)
        #expect(atStop < count, "the batch was done before the stop")
        #expect(
            daemon.logText.contains("stopping after record \(atStop) of the batch"),
            "\(atStop): \(daemon.logText.suffix(1500))")
        daemon = try DaemonProcess(ws, config: config, logName: "run-2.log")
        try daemon.waitUntilWatching(timeout: 120)
        let expected = Set((1...count).map { "items.jsonl#\($0)" })
        let seen = try ws.waitForDigest(of: expected, timeout: 300)
        RunWatcherTests.expectOnce(seen, expected)
        #expect(try daemon.stop(timeout: 60).status == 0)
        let digest = try ws.digestJSON()
        #expect(try OnceTests.validator().validate(digest.data) == [])
        let rejected = digest.object.rejected.compactMap { $0["record"] as? Int }
        #expect(Set(rejected) == broken)
        #expect(Harness.files(under: ws.drop).isEmpty, "the batch left in the drop folder")

        // The same batch through `once` in one go: the same digest, byte for byte, but for
        // the day's name (both today, in UTC).
        let reference = try Harness.Workspace(copying: nil)
        defer { reference.remove() }
        try Harness.write(text, to: reference.drop.appendingPathComponent("items.jsonl"))
        #expect(try reference.once(config: config).status == 0)
        #expect(try reference.digestJSON().data == digest.data, "the digest differs from once's")
    }

    /// Input rows in the store so far (0 before it exists), read without disturbing the writer.
    static func records(_ path: String) -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        var config = GRDB.Configuration()
        config.readonly = true
        guard let db = try? DatabaseQueue(path: path, configuration: config) else { return 0 }
        return (try? db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM input") }) ?? 0
    }
}
