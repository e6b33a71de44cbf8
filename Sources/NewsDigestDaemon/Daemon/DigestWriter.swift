import Dispatch
import Foundation
import Logging
import NewsDigest

/// Rewrites a day's digest a short while after its first change, so a burst of files gives one
/// rewrite, not one per file; then logs the one syslog line per write. Writes run on a queue of
/// their own, never on the store's, so committing goes on while a large day is summarized.
public final class DigestWriter: @unchecked Sendable {
    public struct Settings: Sendable {
        /// Summary budget, thread window and workers (`Configuration.digestBuilder`).
        public var builder: DigestBuilder
        /// Seconds from a day's first change to its rewrite.
        public var delay: Double
        public var syslog: Bool

        public init(_ config: Configuration) {
            builder = config.digestBuilder
            delay = config.digestDelay
            syslog = config.syslog
        }
    }

    /// What the writer needs from the store's owner, called on the store's queue.
    public struct Source: Sendable {
        /// The day as committed, and the sequence number of the last record in it.
        public var snapshot: @Sendable (String) throws -> (DayView, Int64)
        /// Where the articles of stories summarized again are read from.
        public var articles: StoreReader
        /// Where each story's rendering is kept between writes.
        public var renderings: StoreRenderings
        public var written: @Sendable (String, Int64) -> Void
    }

    private struct Pending {
        var dirty: Set<String> = []
        var scheduled = false
        var lastSeconds = 0.0
        /// Days whose last write failed, and the wait before the next try.
        var failing: Set<String> = []
        var retry = Backoff.digests
        /// The wait before the failing days are tried again.
        var retryDelay = 0.0
    }

    private let queue = DispatchQueue(label: "newsdigest.digests")
    private let folder: AbsolutePath
    private let source: Source
    private let logger: Logger
    private let syslog: Syslog
    private let pending = Locked(Pending())
    /// The kept stories' keys of the days written most recently, touched on `queue` only.
    private var keys: [StoryKeys] = []
    /// Today and yesterday (late files) are the days that are written again and again.
    private static let keyDays = 2
    public let settings: Locked<Settings>
    /// Resolved once at start (the feed's authority is kept in the store).
    private let publishing: DigestFiles.Publishing
    /// Called after each write with the digest's counts and the seconds it took.
    public var didWrite: (@Sendable (Digest.Counts, Double) -> Void)?
    /// Called after each write that failed (it is tried again later).
    public var didFail: (@Sendable () -> Void)?

    public init(
        folder: AbsolutePath, settings: Settings, publishing: DigestFiles.Publishing, source: Source,
        syslog: Syslog, logger: Logger
    ) {
        self.publishing = publishing
        self.folder = folder
        self.settings = Locked(settings)
        self.source = source
        self.syslog = syslog
        self.logger = logger
    }

    /// Seconds from a day's first change to its rewrite. Under a flood a large day takes a while
    /// to summarize: rewrites are kept to about a third of one core by waiting at least twice as
    /// long as the last one took.
    public static func debounce(delay: Double, lastWrite: Double) -> Double {
        max(delay, 2 * lastWrite)
    }

    public func markDirty(_ days: Set<String>) {
        guard !days.isEmpty else { return }
        let schedule = pending.mutate { p -> Double? in
            p.dirty.formUnion(days)
            if p.scheduled { return nil }
            p.scheduled = true
            return Self.debounce(delay: settings.value.delay, lastWrite: p.lastSeconds)
        }
        if let delay = schedule {
            queue.asyncAfter(deadline: .now() + delay) { [self] in writeDirty() }
        }
    }

    /// Writes every changed day now and returns when done (shutdown).
    public func flush() {
        queue.sync { writeDirty() }
    }

    /// At each midnight of the digest's time zone the new day gets its (empty) digest at once.
    public func scheduleMidnights(clock: DayClock) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = clock.timeZone
        let now = Date()
        guard
            let next = calendar.nextDate(
                after: now, matching: DateComponents(hour: 0, minute: 0, second: 0), matchingPolicy: .nextTime)
        else { return }
        let seconds = next.timeIntervalSince(now) + 0.5
        queue.asyncAfter(wallDeadline: .now() + seconds) { [self] in
            markDirty([clock.day()])
            scheduleMidnights(clock: clock)
        }
    }

    private func takeKeys(_ day: String) -> StoryKeys {
        guard let at = keys.firstIndex(where: { $0.day == day }) else { return StoryKeys() }
        return keys.remove(at: at)
    }

    private func keepKeys(_ kept: StoryKeys) {
        keys.append(kept)
        if keys.count > Self.keyDays { keys.removeFirst(keys.count - Self.keyDays) }
    }

    private func writeDirty() {
        let days = pending.mutate { p -> [String] in
            let days = p.dirty.sorted()
            p.dirty = []
            p.scheduled = false
            return days
        }
        let current = settings.value
        var failed: Set<String> = []
        for day in days {
            let started = DispatchTime.now().uptimeNanoseconds
            let update: DigestUpdate
            let through: Int64
            do {
                let (state, seq) = try source.snapshot(day)
                through = seq
                var kept = takeKeys(day)
                // Made again if an operator removed it; a read-only or full one fails here.
                try Directory.create(folder)
                do {
                    update = try DigestFiles.write(
                        state, builder: current.builder,
                        articles: source.articles,
                        renderings: source.renderings, keys: &kept, publishing: publishing, to: folder)
                } catch {
                    // What was saved before the failure is in `kept` and in the store alike.
                    keepKeys(kept)
                    throw error
                }
                keepKeys(kept)
            } catch {
                failed.insert(day)
                // Backs off to once a minute, so a folder that stays broken logs once a minute.
                let delay = pending.mutate { p -> Double in
                    p.failing.insert(day)
                    p.retryDelay = p.retry.next()
                    return p.retryDelay
                }
                logger.error("digest \(day): \(error); the previous one stays, trying again in \(Int(delay)) s")
                didFail?()
                continue
            }
            let recovered = pending.mutate { p -> Bool in
                p.retryDelay = 0
                p.retry.reset()
                return p.failing.remove(day) != nil
            }
            if recovered { logger.notice("digest \(day): written again") }
            source.written(day, through)
            // The day before gets its page's link to this new one.
            if let back = update.linkBack { markDirty([back]) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            pending.mutate { $0.lastSeconds = seconds }
            let c = update.counts
            let line =
                "digest \(day): \(c.stories) stories, \(c.articles) articles (\(c.exactDuplicates) exact, "
                + "\(c.nearDuplicates) near duplicates, \(c.rejected) rejected) in \(String(format: "%.2f", seconds)) s"
            if current.syslog { syslog.notice(line) }
            logger.info("\(line)")
            didWrite?(c, seconds)
        }
        if !failed.isEmpty {
            let delay = pending.value.retryDelay
            let days = failed
            queue.asyncAfter(deadline: .now() + delay) { [self] in markDirty(days) }
        }
    }
}
