import Foundation
import Testing

/// Threads across days through the real binary: a story that goes on the next day keeps its
/// thread, under `once --day` run day after day on one store and under the daemon across a
/// restart; a look-alike event (the same kind, other names) starts its own; and what a day's
/// digest showed never changes when later days arrive.
@Suite struct ThreadTests {
    /// Day one: a crane collapse told by two outlets.
    static let first = [
        (
            "harbour-news/crane.txt",
            """
            Crane collapses at Port Elsmere, four dock workers hurt
            A container crane collapsed at Port Elsmere on Monday, injuring four dock workers. The Elsmere Harbour Authority closed berth 7 while inspectors from the Marine Safety Board examined the wreck. Harbour master Ilse Brandt said the crane had passed its last inspection in March.
            """
        ),
        (
            "coast-daily/crane.txt",
            """
            Four hurt as Port Elsmere crane falls
            Four dock workers were hurt when a container crane fell at Port Elsmere on Monday afternoon. Ilse Brandt, the harbour master, said the Marine Safety Board would inspect the wreck before berth 7 opens again. The Elsmere Harbour Authority said two of the workers were still in hospital.
            """
        ),
    ]

    /// Day two: the same event goes on; a look-alike (another crane, another port, other people);
    /// and something else.
    static let second = [
        (
            "harbour-news/berth.txt",
            """
            Port Elsmere reopens berth 7 after crane collapse
            Port Elsmere reopened berth 7 on Tuesday, a day after a container crane collapsed and injured four dock workers. The Marine Safety Board said its inspectors had found a cracked weld in the crane's boom. Harbour master Ilse Brandt said cargo delayed by the closure would be cleared by the weekend.
            """
        ),
        (
            "bay-times/crane.txt",
            """
            Crane collapses at Kestrel Bay terminal
            A container crane collapsed at the Kestrel Bay terminal on Tuesday, injuring two dock workers. The Kestrel Port Company closed the quay while inspectors from the Dock Safety Office examined the wreck. Terminal manager Tomas Ruiz said the crane was twenty years old.
            """
        ),
        (
            "town-crier/library.txt",
            """
            Norrby library opens on Sundays from next month
            The public library in Norrby will open on Sundays from next month, the town council said on Tuesday. Librarian Agnes Holm said a grant from the Lindqvist Foundation pays for two more staff. The children's reading room will also stay open until eight on weekdays.
            """
        ),
    ]

    static func drop(_ files: [(String, String)], into folder: URL) throws {
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    static func digest(_ ws: Harness.Workspace, _ day: String) throws -> (Data, [String: Any]) {
        let data = try Data(contentsOf: ws.digests.appendingPathComponent(day + ".json"))
        return (data, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    static func story(_ digest: [String: Any], containing file: String) throws -> [String: Any] {
        try #require(digest.stories.first { $0.articles.contains { $0["file"] as? String == file } })
    }

    /// The checks both ways of running share, on the digests of `day1` and `day2`.
    static func checkThreads(_ ws: Harness.Workspace, _ day1: String, _ day2: String) throws {
        let (data1, digest1) = try digest(ws, day1)
        let (data2, digest2) = try digest(ws, day2)
        let validator = try OnceTests.validator()
        #expect(try validator.validate(data1) == [])
        #expect(try validator.validate(data2) == [])
        let crane = try story(digest1, containing: "harbour-news/crane.txt")
        #expect(crane.articles.count == 2)
        let craneID = try #require(crane["id"] as? String)
        #expect(crane["thread"] as? String == "\(day1)/\(craneID)", "a story with nothing before starts its thread")

        let goesOn = try story(digest2, containing: "harbour-news/berth.txt")
        #expect(goesOn["thread"] as? String == crane["thread"] as? String, "the story goes on: one thread")
        let lookAlike = try story(digest2, containing: "bay-times/crane.txt")
        let library = try story(digest2, containing: "town-crier/library.txt")
        for other in [lookAlike, library] {
            #expect(other["thread"] as? String == "\(day2)/\(other["id"] as? String ?? "")")
        }
        let markdown = try String(contentsOf: ws.digests.appendingPathComponent(day2 + ".md"), encoding: .utf8)
        #expect(markdown.components(separatedBy: "_Continuing since ").count == 2, "\(markdown)")
    }

    static func utcDay(offsetHours: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offsetHours * 3600)!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    @Test func onceDayAfterDayKeepsAStorysThread() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root, extra: "[input]\nsettle_ms = 0\n")
        func once(_ day: String) throws {
            let result = try Harness.run([
                "once", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path,
                "--config", config.path, "--day", day,
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        try Self.drop(Self.first, into: ws.drop)
        try once("2026-05-04")
        let before = try Data(contentsOf: ws.digests.appendingPathComponent("2026-05-04.json"))
        // A day with nothing in between: still within the window of three days.
        try Self.drop(Self.second, into: ws.drop)
        try once("2026-05-06")
        try Self.checkThreads(ws, "2026-05-04", "2026-05-06")
        let markdown = try String(contentsOf: ws.digests.appendingPathComponent("2026-05-06.md"), encoding: .utf8)
        #expect(markdown.contains("_Continuing since 4 May._"))
        // What the first day showed stays as it was.
        #expect(try Data(contentsOf: ws.digests.appendingPathComponent("2026-05-04.json")) == before)
    }

    /// `digest.feed_threads`: the crane story, told on two days, gets one feed entry of its own
    /// beside the days' entries, named by its thread; the look-alike and the one-day stories get
    /// none; a rewrite that changes nothing keeps the entry's id and `updated`.
    @Test func theFeedGivesAContinuingThreadAnEntryOfItsOwn() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Harness.utcConfig(
            in: ws.root, extra: "feed_authority = \"news.example.org\"\nfeed_threads = true\n[input]\nsettle_ms = 0\n")
        func once(_ day: String) throws {
            let result = try Harness.run([
                "once", "--drop", ws.drop.path, "--state", ws.state.path, "--digests", ws.digests.path,
                "--config", config.path, "--day", day,
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        func threadEntries() throws -> [[String: Any]] {
            let feed = try PublishingTests.feed(ws)
            #expect(feed["bozo"] as? Bool == false, "\(feed["bozo_exception"] ?? "")")
            let valid = try Harness.run(
                [
                    "--noout", "--relaxng", Harness.packageRoot.appendingPathComponent("schema/feed.rng").path,
                    ws.digests.appendingPathComponent("feed.atom").path,
                ], executable: "/usr/bin/xmllint")
            #expect(valid.status == 0, "feed.atom against schema/feed.rng: \(valid.stderr)")
            let entries = feed["entries"] as? [[String: Any]] ?? []
            return entries.filter { ($0["id"] as? String ?? "").contains(":thread:") }
        }
        try Self.drop(Self.first, into: ws.drop)
        try once("2026-05-04")
        #expect(try threadEntries().isEmpty, "one day: no thread goes on yet")
        try Self.drop(Self.second, into: ws.drop)
        try once("2026-05-05")
        let (_, digest2) = try Self.digest(ws, "2026-05-05")
        let goesOn = try Self.story(digest2, containing: "harbour-news/berth.txt")
        let thread = try #require(goesOn["thread"] as? String)
        let entries = try threadEntries()
        #expect(entries.count == 1, "only the crane story goes on: \(entries.map { $0["id"] ?? "" })")
        let entry = try #require(entries.first)
        #expect((entry["id"] as? String)?.hasPrefix("tag:news.example.org,") == true)
        #expect((entry["id"] as? String)?.hasSuffix(":newsdigest:thread:" + thread) == true, "\(entry)")
        #expect(entry["title"] as? String == goesOn["headline"] as? String, "titled by its newest story")
        #expect(
            (entry["link"] as? String)?.hasSuffix("2026-05-05.html#story-\(goesOn["id"] as? String ?? "")") == true,
            "\(entry)")
        let feedText = try String(contentsOf: ws.digests.appendingPathComponent("feed.atom"), encoding: .utf8)
        #expect(feedText.contains("Continuing since"), "the entry says since when")
        sleep(1)  // `updated` is to the second: a change would show
        try once("2026-05-05")
        let again = try #require(try threadEntries().first)
        #expect(again["id"] as? String == entry["id"] as? String)
        #expect(again["updated"] as? String == entry["updated"] as? String, "nothing changed: updated stays")
    }

    @Test func theDaemonKeepsAThreadAcrossARestartAndTheNextDay() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        // The commit day is the date where the daemon runs: twelve hours behind UTC, then
        // fourteen ahead, is always the next day or the one after (within the window).
        func config(_ zone: String) throws -> URL {
            let url = ws.root.appendingPathComponent("\(zone.replacingOccurrences(of: "/", with: "-")).toml")
            try "[digest]\ntimezone = \"\(zone)\"\n[input]\nsettle_ms = 0\n[daemon]\ndigest_delay_ms = 100\n"
                .write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        let day1 = Self.utcDay(offsetHours: -12)
        var daemon = try DaemonProcess(ws, config: try config("Etc/GMT+12"), logName: "day1.log")
        try daemon.waitUntilWatching()
        try Self.drop(Self.first, into: ws.drop)
        _ = try ws.waitForDigest(of: Set(Self.first.map(\.0)), timeout: 60)
        #expect(try daemon.stop().status == 0)
        let before = try Data(contentsOf: ws.digests.appendingPathComponent(day1 + ".json"))

        let day2 = Self.utcDay(offsetHours: 14)
        daemon = try DaemonProcess(ws, config: try config("Etc/GMT-14"), logName: "day2.log")
        try daemon.waitUntilWatching()
        try Self.drop(Self.second, into: ws.drop)
        _ = try ws.waitForDigest(of: Set(Self.first.map(\.0) + Self.second.map(\.0)), timeout: 60)
        #expect(try daemon.stop().status == 0)
        #expect(day1 != day2)
        try Self.checkThreads(ws, day1, day2)
        #expect(try Data(contentsOf: ws.digests.appendingPathComponent(day1 + ".json")) == before)
    }
}
