import Foundation
import NewsDigest

/// Everything an operator can set, with the defaults documented in config/newsdigest.toml.
public struct Configuration: Sendable, Equatable {
    public enum AfterIngest: String, Sendable, Equatable {
        case archive, delete, keep
    }

    public var drop: String?
    public var state: String?
    public var digests: String?
    /// IANA time zone name whose midnight starts a new digest; "local" means the machine's.
    public var timeZone: String = "local"
    public var summaryWords: Int = 120
    /// When above 0, summaries are this many sentences instead of a word budget.
    public var summarySentences: Int = 0
    /// Where the digests are served from, for the feed's links; empty: links relative to it.
    public var baseURL: String = ""
    /// The feed's tag URI authority when no base URL names a host; empty: the machine's name.
    public var feedAuthority: String = ""
    /// Days the feed carries.
    public var feedDays: Int = 14
    /// `digest.feed_threads`: an entry per thread that goes on over the feed's days.
    public var feedThreads = false
    /// Days whose digests and archived inputs are kept; 0: all.
    public var keepDays: Int = 0
    public var maxFileBytes: Int = 4 * 1024 * 1024
    /// HTML pages (and a JSON record's "html") over this are rejected before they are parsed.
    public var maxHTMLBytes: Int = ArticleReader.defaultMaxHTMLBytes
    /// A batch file (JSON Lines, a JSON array) is read a record at a time, so this bounds disk
    /// and time, not memory: 256 MiB is a day of a busy crawler's items. Each record is still
    /// held to `maxFileBytes`.
    public var maxBatchBytes: Int = 256 * 1024 * 1024
    public var afterIngest: AfterIngest = .archive
    /// A file modified less than this long ago is left until it has been quiet that long: for
    /// scrapers that close a file and open it again to append instead of renaming into place.
    public var quietMilliseconds: Int = 0
    /// A file found by a scan (not by its close-after-write event) and modified less than this
    /// long ago may still be being written under its final name: it waits until it has been
    /// unmodified this long, at most `settleMaxWaits` times over, then is read anyway.
    public var settleMilliseconds: Int = 2000
    /// How many settle periods a scanned file that keeps changing waits at most.
    public static let settleMaxWaits = 10
    /// Worker threads for per-file work; 0 means one per core.
    public var workers: Int = 0
    public var grouping = GroupingOptions()
    /// Paths the daemon holds between the watcher and the store; past it, a later scan finds them.
    public var queueCapacity: Int = 4096
    /// From a day's first change to its digest rewrite: a burst of files gives one rewrite.
    public var digestDelayMilliseconds: Int = 250
    /// One syslog line (facility daemon) per digest write.
    public var syslog: Bool = true
    /// Where the daemon keeps its Prometheus metrics (node_exporter's textfile collector);
    /// empty: no metrics file.
    public var metricsTextfile: String = ""

    public init() {}

    public var summaryBudget: SummaryBudget {
        summarySentences > 0 ? .sentences(summarySentences) : .words(summaryWords)
    }

    public var digestDelay: Double { Double(digestDelayMilliseconds) / 1000 }

    /// The feed's settings, its authority resolved through (and kept in) `store`.
    public func publishing(store: Store, today: String, state: AbsolutePath) throws -> DigestFiles.Publishing {
        DigestFiles.Publishing(
            feed: try feedSettings(store: store, today: today), keepDays: keepDays, archive: state.appending("archive"))
    }

    public func feedSettings(store: Store, today: String) throws -> AtomFeed.Settings {
        let (authority, since) = try store.feedAuthority(baseURL: baseURL, configured: feedAuthority, today: today)
        return AtomFeed.Settings(
            baseURL: baseURL, authority: authority, since: since, days: feedDays, threads: feedThreads)
    }

    /// How digests are built: the summary budget, the thread window and the workers, for
    /// `once` and the daemon's writer alike.
    public var digestBuilder: DigestBuilder {
        var builder = DigestBuilder(budget: summaryBudget, threadWindow: grouping.threadWindowDays)
        builder.workers = workerCount
        return builder
    }

    public var workerCount: Int {
        workers > 0 ? workers : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    public func resolvedTimeZone() -> TimeZone {
        timeZone == "local" ? TimeZone.current : (TimeZone(identifier: timeZone) ?? TimeZone.current)
    }
}

/// A config file problem, with the line it is on so an operator can go straight to it.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

extension Configuration {
    /// What the store's owner reads a batch file by.
    public var inputLimits: Committer.InputLimits {
        var limits = Committer.InputLimits()
        limits.maxFileBytes = maxFileBytes
        limits.maxHTMLBytes = maxHTMLBytes
        limits.maxBatchBytes = maxBatchBytes
        return limits
    }
}
