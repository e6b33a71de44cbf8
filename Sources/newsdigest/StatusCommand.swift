import ArgumentParser
import Foundation
import NewsDigestDaemon

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print a day's counts from the store (also while the daemon runs).",
        discussion: """
            Reads STATE/newsdigest.sqlite without writing to it or locking it. Prints one line: \
            "DAY: F files: S stories, A articles (N near duplicates), E exact duplicates, R rejected". \
            Exits 0, or 66 when the state folder has no store yet.

            With --format json it prints the same counts as a JSON object for scripts, with the \
            store's size and, when the config names a metrics.textfile that the daemon has \
            written, the running daemon's figures from it under "daemon" (queue depth, the \
            oldest file's wait, inotify overflows, files by outcome since it started, digest \
            writes); "daemon" is null otherwise.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "text (one line) or json.")
    var format: Format = .text

    @OptionGroup var folders: FolderOptions

    @Option(
        name: .long, help: ArgumentHelp("The day, YYYY-MM-DD (default: today in digest.timezone).", valueName: "day"))
    var day: String?

    func validate() throws {
        if let day, day.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil {
            throw ValidationError("--day must be YYYY-MM-DD, not \"\(day)\"")
        }
    }

    func run() throws {
        let config = try CommandLineSupport.loadConfiguration(folders.config)
        guard let state = folders.state ?? config.state else {
            throw ValidationError("missing --state (or paths.state in the config)")
        }
        let folder = CommandLineSupport.absolute(state)
        let store: Store?
        do {
            store = try Store(readOnly: folder)
        } catch {
            FileHandle.standardError.write(Data("newsdigest status: \(error)\n".utf8))
            throw ExitCode(ExitStatus.ioError.rawValue)
        }
        guard let store else {
            FileHandle.standardError.write(Data("newsdigest status: no store in \(folder.display) yet\n".utf8))
            throw ExitCode(ExitStatus.noInput.rawValue)
        }
        let day = day ?? DayClock(timeZone: config.resolvedTimeZone()).day()
        let c = try store.counts(day: day)
        switch format {
        case .text:
            print(
                "\(day): \(c.files) files: \(c.stories) stories, \(c.articles) articles (\(c.nearDuplicates) near duplicates), \(c.exactDuplicates) exact duplicates, \(c.rejected) rejected"
            )
        case .json:
            let status = StatusJSON(
                counts: c, storeBytes: MetricsFile.storeBytes(folder.appending(Store.fileName)),
                metricsFile: config.metricsTextfile)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(status) + Data("\n".utf8))
        }
    }
}

/// `status --format json`: the store's counts of the day, and the running daemon's figures as
/// its metrics file has them.
struct StatusJSON: Encodable {
    struct Daemon: Encodable {
        var metricsFile: String
        /// When the daemon last wrote the file, in seconds since the epoch.
        var updated: Double
        var version: String?
        var queueDepth: Int
        var oldestWaitingSeconds: Double
        var inotifyOverflows: Int
        var files: [String: Int]
        var rejected: [String: Int]
        var digestWrites: Int
        var digestWriteFailures: Int
        var lastDigestWrite: Double?

        enum CodingKeys: String, CodingKey {
            case metricsFile = "metrics_file"
            case updated, version
            case queueDepth = "queue_depth"
            case oldestWaitingSeconds = "oldest_waiting_seconds"
            case inotifyOverflows = "inotify_overflows"
            case files, rejected
            case digestWrites = "digest_writes"
            case digestWriteFailures = "digest_write_failures"
            case lastDigestWrite = "last_digest_write"
        }
    }

    var day: String
    var files: Int
    var stories: Int
    var articles: Int
    var nearDuplicates: Int
    var exactDuplicates: Int
    var rejected: Int
    var storeBytes: Int64
    var daemon: Daemon?

    enum CodingKeys: String, CodingKey {
        case day, files, stories, articles
        case nearDuplicates = "near_duplicates"
        case exactDuplicates = "exact_duplicates"
        case rejected
        case storeBytes = "store_bytes"
        case daemon
    }

    init(counts c: DayCounts, storeBytes: Int64, metricsFile: String) {
        day = c.day
        files = c.files
        stories = c.stories
        articles = c.articles
        nearDuplicates = c.nearDuplicates
        exactDuplicates = c.exactDuplicates
        rejected = c.rejected
        self.storeBytes = storeBytes
        daemon = metricsFile.isEmpty ? nil : Self.daemon(metricsFile)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(day, forKey: .day)
        try c.encode(files, forKey: .files)
        try c.encode(stories, forKey: .stories)
        try c.encode(articles, forKey: .articles)
        try c.encode(nearDuplicates, forKey: .nearDuplicates)
        try c.encode(exactDuplicates, forKey: .exactDuplicates)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(storeBytes, forKey: .storeBytes)
        try c.encode(daemon, forKey: .daemon)  // null, not left out, when there is none
    }

    private static func daemon(_ path: String) -> Daemon? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        let samples = MetricsText.samples(text)
        func int(_ key: String) -> Int { Int(samples[key] ?? 0) }
        var files: [String: Int] = [:]
        var rejected: [String: Int] = [:]
        var version: String?
        for (key, value) in samples {
            if let outcome = key.firstMatch(of: /^newsdigest_files_total\{outcome="([a-z_]+)"\}$/) {
                files[String(outcome.1)] = Int(value)
            } else if let reason = key.firstMatch(of: /^newsdigest_rejected_total\{reason="([a-z_]+)"\}$/) {
                rejected[String(reason.1)] = Int(value)
            } else if let v = key.firstMatch(of: /^newsdigest_build_info\{version="([^"]*)"\}$/) {
                version = String(v.1)
            }
        }
        let last = samples["newsdigest_last_digest_write_timestamp_seconds"] ?? 0
        return Daemon(
            metricsFile: path, updated: modified.timeIntervalSince1970.rounded(), version: version,
            queueDepth: int("newsdigest_queue_depth"),
            oldestWaitingSeconds: samples["newsdigest_oldest_waiting_seconds"] ?? 0,
            inotifyOverflows: int("newsdigest_inotify_overflows_total"), files: files, rejected: rejected,
            digestWrites: int(#"newsdigest_digest_writes_total{result="ok"}"#),
            digestWriteFailures: int(#"newsdigest_digest_writes_total{result="failed"}"#),
            lastDigestWrite: last > 0 ? last : nil)
    }
}
