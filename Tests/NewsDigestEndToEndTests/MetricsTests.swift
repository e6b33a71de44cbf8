import Foundation
import Testing

/// The daemon's metrics file (`metrics.textfile`), read by prometheus_client's parser (Debian's
/// python3-prometheus-client), after a mixed drop: its counters must match the digest's counts.
@Suite(.serialized) struct MetricsTests {
    /// Runs scripts/parse-metrics.py with Debian's Python (where python3-prometheus-client is).
    static func parse(_ file: URL) throws -> (samples: [String: Double], types: [String: String]) {
        let python = "/usr/bin/python3"
        let script = Harness.packageRoot.appendingPathComponent("scripts/parse-metrics.py").path
        let r = try Harness.run([script, file.path], executable: python)
        guard r.status == 0 else {
            throw HarnessError(
                "prometheus_client could not read \(file.path) (status \(r.status); python3-prometheus-client installed? scripts/install-deps):\n\(r.stderr)"
            )
        }
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (object?["samples"] as? [String: Double] ?? [:], object?["types"] as? [String: String] ?? [:])
    }

    @Test func countersMatchTheDigestAfterAMixedDrop() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let folder = ws.root.appendingPathComponent("node-exporter")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let metrics = folder.appendingPathComponent("newsdigest.prom")
        let config = try Harness.utcConfig(
            in: ws.root, extra: "[daemon]\ndigest_delay_ms = 100\n[metrics]\ntextfile = \"\(metrics.path)\"\n")
        let daemon = try DaemonProcess(ws, config: config)
        try daemon.waitUntilWatching()

        // Written at start, before any file: every counter there, at 0.
        let first = try Self.parse(metrics)
        #expect(first.samples[#"newsdigest_files_total{outcome="article"}"#] == 0)
        #expect(first.samples[#"newsdigest_rejected_total{reason="json"}"#] == 0)
        #expect(first.types["newsdigest_digest_write_duration_seconds"] == "histogram")
        #expect(first.types["newsdigest_files"] == "counter")

        var expected: Set<String> = []
        func drop(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: ws.drop.appendingPathComponent(name))
            expected.insert(name)
        }
        for n in 1...4 { try drop("a\(n).txt", Array(Harness.article(n, story: n <= 2 ? 7 : nil).utf8)) }
        try drop("copy.txt", Array(Harness.article(3).utf8))  // the same bytes as a3: exact
        try drop("empty.txt", [])
        try drop("binary.txt", [0x41, 0x00, 0x42, 0x00, 0x43])
        try drop("broken.json", Array("{\"title\": \"x\", ".utf8))
        try drop("scan.pdf", Array("%PDF-1.4".utf8))
        let seen = try ws.waitForDigest(of: expected, timeout: 30)
        #expect(Set(seen.keys) == expected)
        let counts = try ws.digestJSON().object.counts

        // The file is rewritten after the digest write that showed the last file.
        var last: (samples: [String: Double], types: [String: String]) = ([:], [:])
        try Harness.waitFor(timeout: 20, "the metrics file to show \(expected.count) files") {
            last = try Self.parse(metrics)
            let files = ["article", "near_duplicate", "exact_duplicate", "rejected"]
                .map { last.samples["newsdigest_files_total{outcome=\"\($0)\"}"] ?? 0 }
            return Int(files.reduce(0, +)) == expected.count
        }
        let s = last.samples
        func files(_ outcome: String) -> Int { Int(s["newsdigest_files_total{outcome=\"\(outcome)\"}"] ?? -1) }
        #expect(files("article") + files("near_duplicate") == counts["articles"])
        #expect(files("near_duplicate") == counts["near_duplicates"])
        #expect(files("exact_duplicate") == counts["exact_duplicates"])
        #expect(files("exact_duplicate") == 1)
        #expect(files("rejected") == counts["rejected"])
        #expect(files("rejected") == 4)
        for reason in ["empty", "binary", "json", "type"] {
            #expect(s["newsdigest_rejected_total{reason=\"\(reason)\"}"] == 1, "reason \(reason)")
        }
        let writes = s[#"newsdigest_digest_writes_total{result="ok"}"#] ?? 0
        #expect(writes >= 1)
        #expect(s["newsdigest_digest_write_duration_seconds_count"] == writes)
        #expect(s[#"newsdigest_digest_write_duration_seconds_bucket{le="+Inf"}"#] == writes)
        #expect(s["newsdigest_queue_depth"] == 0)
        #expect((s["newsdigest_store_bytes"] ?? 0) > 4096)
        let lastWrite = s["newsdigest_last_digest_write_timestamp_seconds"] ?? 0
        #expect(abs(lastWrite - Date().timeIntervalSince1970) < 120)
        #expect(s["newsdigest_inotify_overflows_total"] == 0)
        // Atomic writes leave no temporary file beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["newsdigest.prom"])

        // status --format json: the store's counts and the daemon's figures from the file.
        let status = try Harness.run(["status", "--state", ws.state.path, "--config", config.path, "--format", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(object["files"] as? Int == expected.count)
        #expect(object["articles"] as? Int == counts["articles"])
        #expect(object["rejected"] as? Int == 4)
        let live = object["daemon"] as? [String: Any] ?? [:]
        #expect((live["files"] as? [String: Int])?["rejected"] == 4)
        #expect((live["rejected"] as? [String: Int])?["binary"] == 1)
        #expect(live["queue_depth"] as? Int == 0)
        #expect(live["version"] as? String != nil)
        try daemon.stop()
    }

    @Test func aMetricsPathThatIsNotAPromFileIsAConfigError() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let config = try Harness.utcConfig(in: ws.root, extra: "[metrics]\ntextfile = \"metrics.txt\"\n")
        let r = try Harness.run(["check-config", config.path])
        #expect(r.status == 78)
        #expect(r.stderr.contains("metrics.textfile: must be an absolute path"), "\(r.stderr)")
    }
}
