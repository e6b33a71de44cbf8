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

    /// `feed.atom`: the last `feed.days` written days.
    static func writeFeed(_ renderings: StoreRenderings, _ feed: AtomFeed.Settings, to folder: AbsolutePath) throws {
        let entries = try renderings.pages(limit: feed.days).map { page in
            AtomFeed.Entry(
                line: page.line, updated: page.changedAt,
                stories: try renderings.rankedHTML(day: page.line.day, limit: AtomFeed.storiesPerEntry))
        }
        try AtomicFile.write(Array(AtomFeed.render(feed, entries: entries).utf8), to: folder.appending("feed.atom"))
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
