import Foundation
import Glibc
import NewsDigest

/// Writes a day's digest files (JSON first, Markdown second, each atomically), streamed: the
/// rendered text is written as it is made, never held whole.
public enum DigestFiles {
    public static func write(_ digest: Digest, to folder: AbsolutePath) throws {
        try AtomicFile.write(to: folder.appending(digest.date + ".json")) { put throws(SystemError) in
            try JSONRendering.render(digest) { piece throws(SystemError) in try put(Array(piece.utf8)) }
        }
        try AtomicFile.write(to: folder.appending(digest.date + ".md")) { put throws(SystemError) in
            try MarkdownRendering.render(digest) { piece throws(SystemError) in try put(Array(piece.utf8)) }
        }
        try AtomicFile.write(Array(HTMLRendering.render(digest).utf8), to: folder.appending(digest.date + ".html"))
    }

    /// Brings the day's kept story renderings up to date and writes its files from them: only
    /// the stories that changed are summarized and rendered; the rest stream from the store.
    @discardableResult
    public static func write(
        _ day: DayView, builder: DigestBuilder, articles: some ArticleSource, renderings: StoreRenderings,
        keys: inout StoryKeys, publishing: Publishing, to folder: AbsolutePath
    ) throws -> DigestUpdate {
        let feed = publishing.feed
        var update = try builder.update(day, articles: articles, rendered: renderings, keys: &keys)
        var hash: UInt64 = 0
        try stream(to: folder.appending(day.day + ".json")) { sink in
            try DigestBuilder.renderJSON(day, update, from: renderings) { bytes in
                hash = StableHash.combine(hash, StableHash.bytes(bytes))
                try sink(bytes)
            }
        }
        try stream(to: folder.appending(day.day + ".md")) { sink in
            try DigestBuilder.renderMarkdown(day, update, from: renderings, into: sink)
        }
        let (previous, next) = try renderings.neighbours(day: day.day)
        try stream(to: folder.appending(day.day + ".html")) { sink in
            try DigestBuilder.renderHTML(day, update, from: renderings, previous: previous, next: next, into: sink)
        }
        let first = try !renderings.hasPage(day: day.day)
        let top = try renderings.headlines(day: day.day, limit: indexHeadlines)
        try renderings.savePage(
            StoreRenderings.DayPage(
                line: HTMLRendering.DayLine(
                    day: day.day, stories: update.counts.stories, articles: update.counts.articles,
                    headlines: top.headlines, storyIDs: top.ids),
                digestHash: hash, changedAt: Date().timeIntervalSince1970.rounded()))
        // The newest day's write drops what is past `keep_days` before the index lists days.
        if next == nil {
            try Retention.apply(
                today: day.day, keepDays: publishing.keepDays, digests: folder, archive: publishing.archive,
                renderings: renderings)
        }
        try writeIndex(renderings, to: folder)
        try writeFeed(renderings, feed, to: folder)
        if first, next == nil { update.linkBack = previous }
        return update
    }

    /// `feed.atom`: the last `feed.days` written days, and with `feed.threads` the threads that
    /// go on over them.
    /// Streamed: one day's stories are read, escaped and written at a time.
    static func writeFeed(_ renderings: StoreRenderings, _ feed: AtomFeed.Settings, to folder: AbsolutePath) throws {
        let pages = try renderings.pages(limit: feed.days)
        let threads = feed.threads ? try threadEntries(renderings, days: pages.map(\.line.day)) : []
        let newest = (pages.map(\.changedAt) + threads.map(\.updated)).max() ?? 0
        try stream(to: folder.appending("feed.atom")) { sink in
            func put(_ s: String) throws { try sink(Array(s.utf8)) }
            try AtomFeed.head(feed, newest: newest, into: put)
            for page in pages {
                let stories = try renderings.rankedHTML(
                    day: page.line.day, limit: AtomFeed.storiesPerEntry, maxBytes: AtomFeed.entryBudget)
                try AtomFeed.entry(
                    feed, AtomFeed.Entry(line: page.line, updated: page.changedAt, stories: stories), into: put)
            }
            for t in threads { try AtomFeed.entry(feed, t, into: put) }
            try put(AtomFeed.tail)
        }
    }

    /// The threads with stories on two or more of `days` (newest first), at most
    /// `AtomFeed.threadEntries`: those whose latest story is newest, then the best ranked on
    /// that day. Each entry's `updated` is when its content last changed, kept in the store.
    static func threadEntries(_ renderings: StoreRenderings, days: [String]) throws -> [AtomFeed.ThreadEntry] {
        var byThread: [String: [(day: String, id: String, headline: String)]] = [:]
        var order: [String] = []
        for s in try renderings.continuingThreads(days: days) {
            if byThread[s.thread] == nil { order.append(s.thread) }
            byThread[s.thread, default: []].append((s.day, s.id, s.headline))
        }
        // The rank of each thread's latest story on its day (the day's page order).
        var rank: [String: Int] = [:]
        for day in Set(order.compactMap { byThread[$0]?.first?.day }) {
            for (i, id) in try renderings.rankedIDs(day: day).enumerated() { rank[day + id] = i }
        }
        func key(_ thread: String) -> (String, Int) {
            let latest = byThread[thread]![0]
            return (latest.day, rank[latest.day + latest.id] ?? Int.max)
        }
        let kept = order.sorted {
            let (a, b) = (key($0), key($1))
            return a.0 != b.0 ? a.0 > b.0 : a.1 != b.1 ? a.1 < b.1 : $0 < $1
        }.prefix(AtomFeed.threadEntries)
        var entries = try kept.map { thread in
            // Its newest days' stories, as many as fit in an entry's budget, read one at a time.
            let all = byThread[thread]!
            var stories: [(day: String, id: String, headline: String, html: String)] = []
            var budget = AtomFeed.Budget()
            for s in all {
                let html = try renderings.storyHTML(day: s.day, id: s.id)
                guard budget.admits(html.utf8.count) else { break }
                stories.append((s.day, s.id, s.headline, html))
            }
            return AtomFeed.ThreadEntry(thread: thread, stories: stories, since: all.last!.day, updated: 0)
        }
        let changed = try renderings.threadsChanged(
            entries.map { StoreRenderings.FeedThreadHash(thread: $0.thread, hash: $0.contentHash) },
            at: Date().timeIntervalSince1970.rounded())
        for i in entries.indices { entries[i].updated = changed[entries[i].thread] ?? 0 }
        return entries
    }

    /// What a write publishes besides the day's files: the feed, and how long days are kept.
    public struct Publishing: Sendable {
        public var feed: AtomFeed.Settings
        /// `digest.keep_days`; 0 keeps everything.
        public var keepDays: Int
        /// STATE/archive, whose day folders go with their digests.
        public var archive: AbsolutePath

        public init(feed: AtomFeed.Settings, keepDays: Int, archive: AbsolutePath) {
            self.feed = feed
            self.keepDays = keepDays
            self.archive = archive
        }
    }

    /// Headlines a day shows in the index.
    static let indexHeadlines = 3

    /// `index.html`, from the kept rows of the written days.
    static func writeIndex(_ renderings: StoreRenderings, to folder: AbsolutePath) throws {
        let lines = try renderings.pages().map(\.line)
        try AtomicFile.write(Array(HTMLRendering.index(lines).utf8), to: folder.appending("index.html"))
    }

    /// An atomic file written by a renderer that also reads the store: a store error inside is
    /// carried out past the file writer (which throws only SystemError), and the file is left
    /// as it was.
    private static func stream(to path: AbsolutePath, _ render: (_ sink: ([UInt8]) throws -> Void) throws -> Void)
        throws
    {
        var inner: (any Error)?
        do {
            try AtomicFile.write(to: path) { put throws(SystemError) in
                do {
                    // `render` calls `put` only while it runs.
                    try withoutActuallyEscaping(put) { put in try render { piece in try put(piece) } }
                } catch let error as SystemError {
                    throw error
                } catch {
                    inner = error
                    throw SystemError("render", path: path.display, code: EIO)
                }
            }
        } catch {
            throw inner ?? error
        }
    }
}
