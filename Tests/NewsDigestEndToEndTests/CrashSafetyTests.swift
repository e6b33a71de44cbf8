import Foundation
import Glibc
import NewsDigestDaemon
import Testing

/// kill -9 at random moments while a flood arrives, restart, again and again: every file ends
/// exactly once, the store stays sound, and the final digest agrees with `once` on the same files.
@Suite(.serialized) struct CrashSafetyTests {
    static let files = Int(ProcessInfo.processInfo.environment["NEWSDIGEST_CRASH_FILES"] ?? "") ?? 5000
    static let kills = Int(ProcessInfo.processInfo.environment["NEWSDIGEST_CRASH_KILLS"] ?? "") ?? 30

    @Test func killNineDuringAFloodLosesNothingAndCountsNothingTwice() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n")
        var rng = SystemRandomNumberGenerator()
        var daemon = try DaemonProcess(ws, config: config, logName: "run-0.log")
        try daemon.waitUntilWatching()
        let writer = try Harness.flood(into: ws.drop, count: Self.files, seed: 11)
        var killedAt: [Double] = []
        for k in 1...Self.kills {
            let pause = Double.random(in: 0.1...0.8, using: &rng)
            usleep(UInt32(pause * 1e6))
            daemon.kill9()
            killedAt.append(pause)
            daemon = try DaemonProcess(ws, config: config, logName: "run-\(k).log")
            try daemon.waitUntilWatching(timeout: 120)
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        // Each restart's start-up line says how many files it found waiting: proof the kills
        // landed mid-flood, not after it.
        var waitingAtRestart: [Int] = []
        for k in 1...Self.kills {
            let text = (try? String(contentsOf: ws.root.appendingPathComponent("run-\(k).log"), encoding: .utf8)) ?? ""
            if let m = text.firstMatch(of: /; (\d+) file\(s\) waiting/) { waitingAtRestart.append(Int(m.1) ?? 0) }
        }
        #expect(waitingAtRestart.contains { $0 > 0 }, "no kill landed while files were waiting")
        let reference = try Harness.Workspace(copying: nil)
        defer { reference.remove() }
        let generated = try Harness.flood(into: reference.drop, count: Self.files, seed: 11)
        generated.waitUntilExit()
        let expected = Set(Harness.files(under: reference.drop))
        #expect(expected.count == Self.files)

        let seen = try ws.waitForDigest(of: expected, timeout: 600)
        RunWatcherTests.expectOnce(seen, expected)
        #expect(try daemon.stop(timeout: 60).status == 0)
        #expect(Harness.files(under: ws.drop).isEmpty, "inputs left behind")
        let integrity = try Store(readOnly: AbsolutePath(ws.state.path))?.integrityCheck()
        #expect(integrity == "ok")
        // The archive holds each input once, under its own name: a kill between the link into
        // the archive and the unlink from the drop folder must not leave a second name.
        let archived = Harness.files(under: ws.state.appendingPathComponent("archive")).map {
            String($0.split(separator: "/", maxSplits: 1)[1])
        }
        let rejected = Harness.files(under: ws.state.appendingPathComponent("rejected")).filter {
            !$0.hasSuffix(".reason")
        }
        #expect(archived.count + rejected.count == expected.count, "archive names: \(archived.count + rejected.count)")
        #expect(Set(archived).union(rejected) == expected, "archived under other names")
        // And each with its own bytes, whole: a move redone after a kill must not have copied a
        // part, nor a file read while it was renamed in.
        var wrongBytes: [String] = []
        for path in Harness.files(under: ws.state.appendingPathComponent("archive")) {
            let name = String(path.split(separator: "/", maxSplits: 1)[1])
            let kept = try Data(contentsOf: ws.state.appendingPathComponent("archive").appendingPathComponent(path))
            let written = try Data(contentsOf: reference.drop.appendingPathComponent(name))
            if kept != written { wrongBytes.append(name) }
        }
        #expect(wrongBytes.isEmpty, "archived with other bytes: \(wrongBytes.prefix(5))")

        // The same files through `once`, in path order, in one go.
        #expect(try reference.once(config: config).status == 0)
        let daemonDigest = try ws.digestJSON().object
        let onceDigest = try reference.digestJSON().object
        let exact = Self.exactGroups(daemonDigest)
        #expect(exact == Self.exactGroups(onceDigest), "exact-duplicate groups differ")
        // Which copy of a text is the article and which the duplicate depends on arrival order:
        // compare near groups and stories with each text named by its first file in path order.
        let canonical = Self.canonicalNames(exact)
        let nearDaemon = Self.nearGroups(daemonDigest, canonical)
        let nearOnce = Self.nearGroups(onceDigest, canonical)
        #expect(
            nearDaemon == nearOnce,
            "near-duplicate groups differ: \(nearDaemon.subtracting(nearOnce).count) only in the daemon's, \(nearOnce.subtracting(nearDaemon).count) only in once's of \(nearOnce.count)"
        )
        let f1 = Self.bCubedF1(Self.storyOf(daemonDigest, canonical), Self.storyOf(onceDigest, canonical))
        // Arrival order differs (the daemon takes files as they come, `once` in path order) and a
        // story is decided as each article commits, so the two may split a story differently.
        #expect(f1 >= 0.98, "story B-cubed F1 between daemon and once: \(f1)")
        print(
            "crash safety: \(Self.files) files, \(archived.count) archived once each, \(Self.kills) kill -9 after \(killedAt.map { String(format: "%.2f", $0) }) s of each run, files waiting at each restart \(waitingAtRestart); each file once; integrity \(integrity ?? "?"); \(exact.count) exact and \(nearOnce.count) near groups as once's; stories B-cubed F1 vs once \(String(format: "%.4f", f1)) (\(daemonDigest.stories.count) vs \(onceDigest.stories.count) stories)"
        )
    }

    /// Files that are the same text, as sets (which one came first depends on arrival order).
    static func exactGroups(_ d: [String: Any]) -> Set<Set<String>> {
        var byID: [String: Set<String>] = [:]
        for s in d.stories {
            for a in s.articles { byID[a["id"] as! String, default: []].insert(a["file"] as! String) }
        }
        for e in d.exactDuplicates { byID[e["duplicate_of"] as! String, default: []].insert(e["file"] as! String) }
        return Set(byID.values.filter { $0.count > 1 })
    }

    static func canonicalNames(_ exact: Set<Set<String>>) -> [String: String] {
        var out: [String: String] = [:]
        for group in exact {
            let first = group.min()!
            for f in group { out[f] = first }
        }
        return out
    }

    static func nearGroups(_ d: [String: Any], _ canonical: [String: String]) -> Set<Set<String>> {
        var root: [String: Set<String>] = [:]
        var fileOf: [String: String] = [:]
        for s in d.stories { for a in s.articles { fileOf[a["id"] as! String] = a["file"] as? String } }
        for s in d.stories {
            for a in s.articles {
                guard let of = a["duplicate_of"] as? String, let f = fileOf[of] else { continue }
                let file = a["file"] as! String
                root[of, default: [canonical[f] ?? f]].insert(canonical[file] ?? file)
            }
        }
        return Set(root.values)
    }

    static func storyOf(_ d: [String: Any], _ canonical: [String: String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, s) in d.stories.enumerated() {
            for a in s.articles {
                let file = a["file"] as! String
                out[canonical[file] ?? file] = i
            }
        }
        return out
    }

    /// B-cubed F1 of clustering `a` against `b` over the items both hold.
    static func bCubedF1(_ a: [String: Int], _ b: [String: Int]) -> Double {
        let items = Set(a.keys).intersection(b.keys)
        guard !items.isEmpty else { return 0 }
        var ca: [Int: Set<String>] = [:]
        var cb: [Int: Set<String>] = [:]
        for i in items {
            ca[a[i]!, default: []].insert(i)
            cb[b[i]!, default: []].insert(i)
        }
        var p = 0.0
        var r = 0.0
        for i in items {
            let x = ca[a[i]!]!
            let y = cb[b[i]!]!
            let both = Double(x.intersection(y).count)
            p += both / Double(x.count)
            r += both / Double(y.count)
        }
        p /= Double(items.count)
        r /= Double(items.count)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }
}
