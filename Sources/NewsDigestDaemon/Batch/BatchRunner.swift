import Foundation
import Glibc
import Logging
import NewsDigest

/// `newsdigest once`: take every input now in the drop folder, commit each, move it out, and
/// write the digests of the days it touched.
public final class BatchRunner {
    public struct Options: Sendable {
        public var drop: AbsolutePath
        public var state: AbsolutePath
        public var digests: AbsolutePath
        public var keepInputs: Bool
        public var configuration: Configuration
        /// Show "done of total, rate" on standard error (only when it is a terminal).
        public var progress: Bool
        /// Commit to this day (YYYY-MM-DD) instead of today: backfilling, and benchmarks that
        /// build a store of many days.
        public var day: String?

        public init(
            drop: AbsolutePath, state: AbsolutePath, digests: AbsolutePath, keepInputs: Bool,
            configuration: Configuration, progress: Bool
        ) {
            self.drop = drop
            self.state = state
            self.digests = digests
            self.keepInputs = keepInputs
            self.configuration = configuration
            self.progress = progress
            self.day = nil
        }
    }

    public struct Report: Sendable {
        /// What the commits did, files already seen (and their moves finished) included.
        public var committed = Committer.Report()
        public var skipped = 0
        public var days: [String] = []
        public var seconds = 0.0
    }

    let options: Options
    let logger: Logger
    let clock: DayClock

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
        self.clock = DayClock(timeZone: options.configuration.resolvedTimeZone())
    }

    /// Milliseconds until the most recently modified entry has gone `settleMilliseconds`
    /// unmodified; nil when all have (or the wait is off).
    static func settleWait(_ entries: [DropScanner.Entry], settleMilliseconds: Int) -> Int? {
        guard settleMilliseconds > 0,
            let youngest = entries.map(\.identity.millisecondsSinceModified).min()
        else { return nil }
        let wait = Int64(settleMilliseconds) - youngest
        return wait > 0 ? Int(min(wait, Int64(settleMilliseconds))) : nil
    }

    /// Files committed in one journal write, then moved.
    static let groupSize = 64
    /// Analysed files held ahead of the commits at most (some 20 KB each): the group being
    /// committed and the next two.
    static let analysedAhead = 3 * groupSize

    public func run() throws -> Report {
        let started = DispatchTime.now().uptimeNanoseconds
        var report = Report()
        let config = options.configuration
        guard Directory.isDirectory(options.drop) else {
            throw SystemError("drop folder", path: options.drop.display, code: ENOTDIR)
        }
        try Directory.create(options.digests)
        let committer = try Committer(
            settings: Committer.Settings(
                drop: options.drop, state: options.state,
                afterIngest: options.keepInputs ? .keep : config.afterIngest, grouping: config.grouping,
                workers: config.workerCount, limits: config.inputLimits),
            logger: logger)

        // In a function of its own: the scan's list of files and the groups made of it are
        // freed before the digest is built.
        let touched = try commit(with: committer, report: &report)

        let builder = config.digestBuilder
        let through = committer.lastSequence
        // `once` saves renderings on this thread only, where the store lives.
        nonisolated(unsafe) let store = committer.store
        let renderings = try store.renderings(
            save: { day, stories, removed in try store.saveRenderings(day: day, stories, removed: removed) },
            savePage: { try store.savePage($0) }, forgetPages: { try store.forgetPages(before: $0) },
            saveThreads: { try store.saveFeedThreads($0, now: $1) })
        let publishing = try config.publishing(store: store, today: clock.day(), state: options.state)
        var days = touched.union(try store.staleDays()).sorted()
        var written: Set<String> = []
        while !days.isEmpty {
            let day = days.removeFirst()
            guard written.insert(day).inserted else { continue }
            var keys = StoryKeys()
            let update = try DigestFiles.write(
                committer.lastView(day), builder: builder, articles: try store.reader(), renderings: renderings,
                keys: &keys, publishing: publishing, to: options.digests)
            try store.markWritten(day: day, through: through)
            // The day before gets its page's link to this new one.
            if let back = update.linkBack, !written.contains(back) { days.append(back) }
        }
        try committer.store.checkpoint()
        report.days = touched.sorted()
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return report
    }
}

extension BatchRunner {
    /// Scans the drop folder (waiting out files still being written), then reads, analyses and
    /// commits what it found, group by group. Returns the days it committed to.
    fileprivate func commit(with committer: Committer, report: inout Report) throws -> Set<String> {
        let config = options.configuration
        let pending = try pendingFiles(committer, report: &report)
        var touched: Set<String> = [options.day ?? clock.day()]
        if !pending.isEmpty { try committer.reserve(day: options.day ?? clock.day(), articles: pending.count) }
        let progress = Progress(total: pending.count, enabled: options.progress)
        let limit = config.maxFileBytes
        let htmlLimit = config.maxHTMLBytes
        let drop = options.drop
        let workers = config.workerCount
        // Workers analyse ahead of the commits, in order, at most `analysedAhead` files.
        let pipeline = OrderedPipeline(pending, workers: workers, window: Self.analysedAhead) {
            Analyzed.analyze($0, drop: drop, limit: limit, htmlLimit: htmlLimit)
        }
        defer { pipeline.stop() }
        while case let analyzed = pipeline.take(Self.groupSize), !analyzed.isEmpty {
            let day = options.day ?? clock.day()
            touched.insert(day)
            report.committed.add(try committer.commit(analyzed, day: day))
            progress.advance(by: analyzed.count)
        }
        progress.finish()
        return touched
    }

    /// The drop folder's files not yet committed, once none is still being written; files the
    /// store already holds (a run stopped between commit and move) have their move finished.
    private func pendingFiles(_ committer: Committer, report: inout Report) throws -> [DropScanner.Entry] {
        let config = options.configuration
        var scan = try DropScanner.scan(options.drop)
        if let wait = Self.settleWait(scan.entries, settleMilliseconds: config.settleMilliseconds) {
            // A scraper may still be writing some of these under their final names: wait until
            // the youngest has gone input.settle_ms unmodified (never longer), then look again.
            logger.info(
                "waiting \(String(format: "%.1f", Double(wait) / 1000)) s: files modified in the last \(config.settleMilliseconds) ms (input.settle_ms)"
            )
            usleep(UInt32(wait) * 1000)
            scan = try DropScanner.scan(options.drop)
        }
        for s in scan.skipped {
            logger.notice("skipped \(s.path.display): \(s.reason)")
        }
        report.skipped = scan.skipped.count
        var pending: [DropScanner.Entry] = []
        for entry in scan.entries {
            if try committer.finishIfCommitted(entry) {
                report.committed.alreadySeen += 1
            } else {
                pending.append(entry)
            }
        }
        return pending
    }
}

/// "412/5000 files, 1830/s" on a terminal's standard error, redrawn at most ten times a second.
final class Progress {
    let total: Int
    let enabled: Bool
    private var done = 0
    private var lastDraw: UInt64 = 0
    private let started = DispatchTime.now().uptimeNanoseconds

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && total > 0
    }

    func advance(by n: Int) {
        done += n
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        if now - lastDraw > 100_000_000 || done == total {
            lastDraw = now
            let rate = Double(done) / max(1e-9, Double(now - started) / 1e9)
            FileHandle.standardError.write(Data("\r\(done)/\(total) files, \(Int(rate))/s   ".utf8))
        }
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
