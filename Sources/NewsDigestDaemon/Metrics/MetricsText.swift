import Foundation
import NewsDigest

/// The metrics file's text: Prometheus's text exposition format (version 0.0.4), as
/// node_exporter's textfile collector reads it. Written here rather than through
/// swift-prometheus: a file of a dozen families needs only the format's escaping rules, and
/// the figures already live in one place (`DaemonMetrics`).
public enum MetricsText {
    /// What the daemon reads at the moment it writes the file.
    public struct Live: Sendable {
        public var queueDepth: Int
        public var oldestWaitSeconds: Double
        public var storeBytes: Int64
        public var startTime: Double

        public init(queueDepth: Int, oldestWaitSeconds: Double, storeBytes: Int64, startTime: Double) {
            self.queueDepth = queueDepth
            self.oldestWaitSeconds = oldestWaitSeconds
            self.storeBytes = storeBytes
            self.startTime = startTime
        }
    }

    public static func render(_ f: DaemonMetrics.Figures, live: Live) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
            out += name
            if !labels.isEmpty {
                out += "{" + labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
            }
            out += " \(number(value))\n"
        }

        family("newsdigest_build_info", "gauge", "The running newsdigest's version (always 1).")
        sample("newsdigest_build_info", [("version", NewsDigestVersion.string)], 1)
        family("newsdigest_start_time_seconds", "gauge", "When the daemon started, in seconds since the epoch.")
        sample("newsdigest_start_time_seconds", [], live.startTime)

        family(
            "newsdigest_files_total", "counter",
            "Dropped files committed since the daemon started, by outcome (article: a new article of a story).")
        let r = f.files
        for (outcome, n) in [
            ("article", r.articles), ("near_duplicate", r.nearDuplicates), ("exact_duplicate", r.exactDuplicates),
            ("rejected", r.rejected),
        ] {
            sample("newsdigest_files_total", [("outcome", outcome)], Double(n))
        }
        family(
            "newsdigest_rejected_total", "counter",
            "Files rejected since the daemon started, by class of reason (the reason itself is in rejected/).")
        for kind in Rejection.Kind.allCases.sorted() {
            sample("newsdigest_rejected_total", [("reason", kind.rawValue)], Double(r.rejectedKinds[kind] ?? 0))
        }

        family("newsdigest_digest_writes_total", "counter", "Digest writes since the daemon started, by result.")
        sample("newsdigest_digest_writes_total", [("result", "ok")], Double(f.digestWrites))
        sample("newsdigest_digest_writes_total", [("result", "failed")], Double(f.digestWriteFailures))
        family(
            "newsdigest_digest_write_duration_seconds", "histogram",
            "How long each successful digest write took (summarizing, rendering, writing the files).")
        var cumulative = 0
        for (i, bound) in DaemonMetrics.writeBuckets.enumerated() {
            cumulative += f.writeBucketCounts[i]
            sample("newsdigest_digest_write_duration_seconds_bucket", [("le", number(bound))], Double(cumulative))
        }
        cumulative += f.writeBucketCounts[DaemonMetrics.writeBuckets.count]
        sample("newsdigest_digest_write_duration_seconds_bucket", [("le", "+Inf")], Double(cumulative))
        sample("newsdigest_digest_write_duration_seconds_sum", [], f.writeSecondsSum)
        sample("newsdigest_digest_write_duration_seconds_count", [], Double(f.digestWrites))
        family(
            "newsdigest_last_digest_write_timestamp_seconds", "gauge",
            "When the last successful digest write ended, in seconds since the epoch (0: none yet).")
        sample("newsdigest_last_digest_write_timestamp_seconds", [], f.lastDigestWrite ?? 0)

        family("newsdigest_queue_depth", "gauge", "Files the daemon holds between the watcher and the store.")
        sample("newsdigest_queue_depth", [], Double(live.queueDepth))
        family(
            "newsdigest_oldest_waiting_seconds", "gauge",
            "How long the file waiting longest in the queue has waited (0: none waits).")
        sample("newsdigest_oldest_waiting_seconds", [], live.oldestWaitSeconds)
        family(
            "newsdigest_inotify_overflows_total", "counter",
            "Times the kernel's inotify queue overflowed (each followed by a scan of the drop folder).")
        sample("newsdigest_inotify_overflows_total", [], Double(f.inotifyOverflows))
        family("newsdigest_store_bytes", "gauge", "The store's size on disk (the SQLite file and its WAL).")
        sample("newsdigest_store_bytes", [], Double(live.storeBytes))
        return out
    }

    /// A label value's escapes: backslash, double quote and line feed.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// Whole numbers without a fraction; others with enough digits to read back the same.
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// The samples of a file written by `render`, by name and labels as written
    /// (`newsdigest_files_total{outcome="article"}`): what `status` reads back. Lines it does not
    /// understand are left out.
    public static func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
            else { continue }
            out[String(line[..<space])] = value
        }
        return out
    }
}
