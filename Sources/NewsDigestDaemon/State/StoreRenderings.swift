import Foundation
import GRDB
import NewsDigest

/// The core's `RenderedStories` over the store's `story_render` table. Reads go through the
/// digest's read-only connection; saves through `save`, which runs on the store's own (writing)
/// connection wherever its owner runs it: the daemon hands it to the store's queue, `once`
/// runs it in place.
public struct StoreRenderings: RenderedStories, Sendable {
    let reader: DatabaseQueue
    let saver: @Sendable (String, [RenderedStory], [Int]) throws -> Void
    let pageSaver: @Sendable (DayPage) throws -> Void
    let pageForgetter: @Sendable (String) throws -> Void
    let threadSaver: @Sendable ([FeedThreadHash], Double) throws -> [String: Double]

    /// A thread entry of the feed, by its content's hash (`digest.feed_threads`).
    public struct FeedThreadHash: Sendable {
        public var thread: String
        public var hash: UInt64

        public init(thread: String, hash: UInt64) {
            self.thread = thread
            self.hash = hash
        }
    }

    /// Keeps the feed's thread entries' hashes (and only these); returns when each last
    /// changed: `now` for a new or changed one, the kept time otherwise.
    public func threadsChanged(_ threads: [FeedThreadHash], at now: Double) throws -> [String: Double] {
        try threadSaver(threads, now)
    }

    /// A kept story of a thread, for the feed's thread entries.
    public struct ThreadStory: Sendable, Equatable {
        public var day: String
        public var thread: String
        public var id: String
        public var headline: String
    }

    /// A kept story's item on its day's page.
    public func storyHTML(day: String, id: String) throws -> String {
        try reader.snapshot { db in
            try String.fetchOne(
                db, sql: "SELECT html FROM story_render WHERE day = ? AND id = ?", arguments: [day, id]) ?? ""
        }
    }

    /// The kept stories of `days` whose thread has a story on at least two of them, by thread
    /// and then newest day first.
    public func continuingThreads(days: [String]) throws -> [ThreadStory] {
        guard !days.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: days.count).joined(separator: ", ")
        return try reader.snapshot { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT day, thread, id, headline FROM story_render
                    WHERE day IN (\(marks)) AND thread IN (
                        SELECT thread FROM story_render WHERE day IN (\(marks)) AND thread != ''
                        GROUP BY thread HAVING count(DISTINCT day) >= 2)
                    ORDER BY thread, day DESC, id
                    """, arguments: StatementArguments(days + days)
            ).map { row in
                ThreadStory(day: row[0], thread: row[1], id: row[2], headline: row[3])
            }
        }
    }

    /// Drops the page rows of days before `day` (their pages are gone: retention).
    public func forgetPages(before day: String) throws {
        try pageForgetter(day)
    }

    /// What the index and the feed show of a written day, kept when its digest is written.
    public struct DayPage: Sendable, Equatable {
        public var line: HTMLRendering.DayLine
        /// A hash of the day's JSON digest: the feed's `updated` moves only when it changes.
        public var digestHash: UInt64
        /// When the digest last changed (seconds since the epoch, the write that saw it).
        public var changedAt: Double
    }

    /// The nearest earlier and later days that have inputs: the page's previous and next links.
    public func neighbours(day: String) throws -> (previous: String?, next: String?) {
        try reader.snapshot { db in
            (
                try String.fetchOne(db, sql: "SELECT max(day) FROM day_last WHERE day < ?", arguments: [day]),
                try String.fetchOne(db, sql: "SELECT min(day) FROM day_last WHERE day > ?", arguments: [day])
            )
        }
    }

    /// The day's story ids, best first (the page's order).
    public func rankedIDs(day: String) throws -> [String] {
        try best(.max, "id", day: day)
    }

    /// The day's first `limit` stories' ids and headlines, best first.
    public func headlines(day: String, limit: Int) throws -> (ids: [String], headlines: [String]) {
        let lines = try best(limit, "id || char(9) || headline", day: day).map { Self.idAndHeadline($0[...]) }
        return (lines.map(\.id), lines.map(\.headline))
    }

    /// "ID<TAB>HEADLINE", as a story's line is read from the rank index and kept for the index page.
    static func idAndHeadline(_ line: Substring) -> (id: String, headline: String) {
        (String(line.prefix { $0 != "\t" }), String(line.drop { $0 != "\t" }.dropFirst()))
    }

    /// The order of the rank index (StoryRank's order), best first.
    static let rankOrder = "ORDER BY sources DESC, articles DESC, latest DESC, id"

    /// One text column of the day's first `limit` stories in rank order (the rank index), only
    /// as many as fit in `maxBytes` (at least one), read one at a time.
    private func best(_ limit: Int, _ column: String, day: String, maxBytes: Int = .max) throws -> [String] {
        try reader.snapshot { db in
            let items = try String.fetchCursor(
                db, sql: "SELECT \(column) FROM story_render WHERE day = ? \(Self.rankOrder) LIMIT ?",
                arguments: [day, limit])
            var budget = AtomFeed.Budget(limit: maxBytes)
            var out: [String] = []
            while let item = try items.next(), budget.admits(item.utf8.count) { out.append(item) }
            return out
        }
    }

    /// The kept page rows, newest first (the index; the feed takes the first few).
    public func pages(limit: Int? = nil) throws -> [DayPage] {
        try reader.snapshot { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT day, stories, articles, headlines, digest_hash, changed_at FROM day_page
                    ORDER BY day DESC\(limit.map { " LIMIT \($0)" } ?? "")
                    """
            ).map { row in
                // One "ID<TAB>HEADLINE" a line.
                let text: String = row[3]
                let lines = (text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false))
                    .map(Self.idAndHeadline)
                return DayPage(
                    line: HTMLRendering.DayLine(
                        day: row[0], stories: row[1], articles: row[2], headlines: lines.map(\.headline),
                        storyIDs: lines.map(\.id)),
                    digestHash: UInt64(bitPattern: row[4] as Int64), changedAt: row[5])
            }
        }
    }

    /// The day's first `limit` page items, best first (the feed's content), only as many as fit
    /// in `maxBytes` (at least one): a big day's items are never all held.
    public func rankedHTML(day: String, limit: Int, maxBytes: Int = .max) throws -> [String] {
        try best(limit, "html", day: day, maxBytes: maxBytes)
    }

    /// Whether the day has had a page written (its first write links the day before to it).
    public func hasPage(day: String) throws -> Bool {
        try reader.snapshot { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM day_page WHERE day = ?", arguments: [day]) ?? false
        }
    }

    public func savePage(_ page: DayPage) throws {
        try pageSaver(page)
    }

    public func keys(day: String) throws -> [Int: UInt64] {
        try reader.snapshot { db in
            var out: [Int: UInt64] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT story, key FROM story_render WHERE day = ?", arguments: [day])
            while let row = try rows.next() { out[row[0]] = UInt64(bitPattern: row[1] as Int64) }
            return out
        }
    }

    public func save(day: String, _ stories: [RenderedStory], removed: [Int]) throws {
        try saver(day, stories, removed)
    }

    public func eachRanked(day: String, _ part: RenderedStory.Part, _ body: (UnsafeRawBufferPointer) throws -> Void)
        throws
    {
        let column: String
        switch part {
        case .json: column = "json"
        case .markdown: column = "markdown"
        case .html: column = "html"
        case .toc: column = "toc"
        }
        // The rank index gives the order StoryRank defines (ids are ASCII: BINARY order is
        // String order), so the day is never sorted, nor held, here.
        try reader.snapshot { db in
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT \(column) FROM story_render WHERE day = ? \(Self.rankOrder)", arguments: [day])
            // The text's bytes where SQLite holds them: no String is made, nor checked again.
            while let row = try rows.next() {
                try row.withUnsafeData(atIndex: 0) { data in
                    guard let data else { return }
                    try data.withUnsafeBytes { try body($0) }
                }
            }
        }
    }

    public func traces(from: String, before: String) throws -> [StoryTrace] {
        try reader.snapshot { db in
            var out: [StoryTrace] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT day, story, thread, vector FROM story_render
                    WHERE day >= ? AND day < ? AND thread != ''
                    ORDER BY day, story
                    """, arguments: [from, before])
            while let row = try rows.next() {
                // A vector that does not decode (no build of ours wrote it) links to nothing.
                let vector = FeatureCoding.decodeTerms(Array(row[3] as Data)) ?? []
                out.append(StoryTrace(day: row[0], story: row[1], thread: row[2], vector: vector))
            }
            return out
        }
    }

    public func signature(from: String, before: String) throws -> UInt64 {
        try reader.snapshot { db in
            var h: UInt64 = 0
            let rows = try Row.fetchCursor(
                db, sql: "SELECT story, key FROM story_render WHERE day >= ? AND day < ? ORDER BY day, story",
                arguments: [from, before])
            while let row = try rows.next() {
                h = StableHash.combine(
                    StableHash.combine(h, UInt64(row[0] as Int)), UInt64(bitPattern: row[1] as Int64))
            }
            return h
        }
    }

    public func said(day: String, story: Int) throws -> [[UInt64]] {
        try reader.snapshot { db in
            let data = try Data.fetchOne(
                db, sql: "SELECT said FROM story_render WHERE day = ? AND story = ?", arguments: [day, story])
            return data.flatMap { FeatureCoding.decodeLists(Array($0)) } ?? []
        }
    }
}

extension Store {
    /// Kept renderings, read on the digest connection, saved on this one by `save`.
    public func renderings(
        save: @escaping @Sendable (String, [RenderedStory], [Int]) throws -> Void,
        savePage: @escaping @Sendable (StoreRenderings.DayPage) throws -> Void,
        forgetPages: @escaping @Sendable (String) throws -> Void,
        saveThreads: @escaping @Sendable ([StoreRenderings.FeedThreadHash], Double) throws -> [String: Double]
    ) throws -> StoreRenderings {
        StoreRenderings(
            reader: try reader().database, saver: save, pageSaver: savePage, pageForgetter: forgetPages,
            threadSaver: saveThreads)
    }

    /// Keeps the feed's thread entries' hashes, forgetting threads no longer in the feed, and
    /// returns when each last changed (`now` when its hash is new or differs).
    public func saveFeedThreads(_ threads: [StoreRenderings.FeedThreadHash], now: Double) throws -> [String: Double] {
        try database.write { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO feed_thread (thread, hash, changed_at) VALUES (?, ?, ?)
                    ON CONFLICT(thread) DO UPDATE SET
                        changed_at = CASE WHEN hash = excluded.hash THEN changed_at ELSE excluded.changed_at END,
                        hash = excluded.hash
                    """)
            for t in threads { try upsert.execute(arguments: [t.thread, Int64(bitPattern: t.hash), now]) }
            let marks = Array(repeating: "?", count: threads.count).joined(separator: ", ")
            try db.execute(
                sql: "DELETE FROM feed_thread WHERE thread NOT IN (\(marks))",
                arguments: StatementArguments(threads.map(\.thread)))
            var out: [String: Double] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT thread, changed_at FROM feed_thread")
            while let row = try rows.next() { out[row[0]] = row[1] }
            return out
        }
    }

    public func forgetPages(before day: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM day_page WHERE day < ?", arguments: [day]) }
    }

    /// The feed's tag URI authority and its date: the host of `baseURL` when set, else
    /// `configured`, else this machine's host name as first read (kept, so the feed's ids
    /// survive a rename of the machine); the date is the day the authority was first used.
    public func feedAuthority(baseURL: String, configured: String, today: String) throws -> (String, String) {
        try database.write { db in
            var authority = configured
            if let host = ArticleReader.host(baseURL) { authority = host }
            if authority.isEmpty {
                if let kept = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'hostname'") {
                    authority = kept
                } else {
                    var name = [CChar](repeating: 0, count: 256)
                    gethostname(&name, name.count - 1)
                    authority = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if authority.isEmpty { authority = "localhost" }
                    try db.execute(
                        sql: "INSERT INTO setting (key, value) VALUES ('hostname', ?)", arguments: [authority])
                }
            }
            authority = authority.lowercased()
            let key = "authority_since:" + authority
            if let since = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) {
                return (authority, since)
            }
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?)", arguments: [key, today])
            return (authority, today)
        }
    }

    /// Keeps what the index and the feed show of a written day; `changedAt` is kept as it was
    /// when the digest's hash did not change.
    public func savePage(_ page: StoreRenderings.DayPage) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO day_page (day, stories, articles, headlines, digest_hash, changed_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(day) DO UPDATE SET stories = excluded.stories, articles = excluded.articles,
                        headlines = excluded.headlines,
                        changed_at = CASE WHEN digest_hash = excluded.digest_hash THEN changed_at
                                          ELSE excluded.changed_at END,
                        digest_hash = excluded.digest_hash
                    """,
                arguments: [
                    page.line.day, page.line.stories, page.line.articles,
                    zip(page.line.storyIDs, page.line.headlines).map { "\($0)\t\($1)" }.joined(separator: "\n"),
                    Int64(bitPattern: page.digestHash), page.changedAt,
                ])
        }
    }

    /// Keeps stories' renderings, replacing their earlier ones, and forgets `removed`, in one
    /// transaction.
    public func saveRenderings(day: String, _ stories: [RenderedStory], removed: [Int]) throws {
        try database.write { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO story_render
                        (day, story, key, sources, articles, latest, id, json, markdown, thread, vector, said,
                         html, toc, headline)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(day, story) DO UPDATE SET key = excluded.key, sources = excluded.sources,
                        articles = excluded.articles, latest = excluded.latest, id = excluded.id,
                        json = excluded.json, markdown = excluded.markdown, thread = excluded.thread,
                        vector = excluded.vector, said = excluded.said, html = excluded.html,
                        toc = excluded.toc, headline = excluded.headline
                    """)
            for s in stories {
                try upsert.execute(arguments: [
                    day, s.story, Int64(bitPattern: s.key), s.rank.sources, s.rank.articles, s.rank.latest, s.rank.id,
                    s.json, s.markdown, s.thread, Data(FeatureCoding.encode(s.vector)),
                    Data(FeatureCoding.encode(lists: s.said)), s.html, s.toc, s.headline,
                ])
            }
            let delete = try db.cachedStatement(sql: "DELETE FROM story_render WHERE day = ? AND story = ?")
            for r in removed { try delete.execute(arguments: [day, r]) }
        }
    }
}
