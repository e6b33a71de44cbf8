/// `DIGESTS/feed.atom`: an Atom 1.0 feed (RFC 4287) of the last days, one entry per day with the
/// day's first stories as HTML content, and with `digest.feed_threads` one more entry per story
/// thread that goes on over the feed's days. Entry ids are `tag:` URIs (RFC 4151) that depend
/// only on the authority and the day or the thread, so a day written again updates its entry
/// and never adds one, and a thread keeps one entry as it grows.
public enum AtomFeed {
    public struct Settings: Sendable, Equatable {
        /// Where the digests are served from ("https://news.example.org/digests/"), or empty for
        /// links relative to the feed.
        public var baseURL: String
        /// The tag URIs' authority: a host name the operator owns or the machine's.
        public var authority: String
        /// The day the authority was first used: the tag URIs' date (RFC 4151 §2.1).
        public var since: String
        public var days: Int
        /// One entry per continuing thread besides the days' (`digest.feed_threads`).
        public var threads: Bool

        public init(baseURL: String, authority: String, since: String, days: Int, threads: Bool = false) {
            self.baseURL = baseURL
            self.authority = authority
            self.since = since
            self.days = days
            self.threads = threads
        }
    }

    public struct Entry: Sendable {
        public var line: HTMLRendering.DayLine
        /// When the day's digest last changed, seconds since the epoch.
        public var updated: Double
        /// The day's first stories' page items, best first.
        public var stories: [String]

        public init(line: HTMLRendering.DayLine, updated: Double, stories: [String]) {
            self.line = line
            self.updated = updated
            self.stories = stories
        }
    }

    /// A thread told over several of the feed's days: its story of each day, newest first.
    public struct ThreadEntry: Sendable {
        public var thread: String
        /// (day, story id, headline, the story's item on that day's page), newest day first.
        public var stories: [(day: String, id: String, headline: String, html: String)]
        /// The thread's first day in the feed (its oldest story may be past the entry's budget).
        public var since: String
        /// When the entry's content last changed, seconds since the epoch.
        public var updated: Double

        public init(
            thread: String, stories: [(day: String, id: String, headline: String, html: String)], since: String? = nil,
            updated: Double
        ) {
            self.thread = thread
            self.stories = stories
            self.since = since ?? stories.last?.day ?? ""
            self.updated = updated
        }

        /// What a reader sees of the entry, hashed: its `updated` moves only when this changes.
        public var contentHash: UInt64 {
            stories.reduce(StableHash.string(thread + since)) {
                StableHash.combine(
                    StableHash.combine($0, StableHash.string($1.day + $1.headline)), StableHash.string($1.html))
            }
        }
    }

    /// Stories of a day the feed carries; the rest are a link away.
    public static let storiesPerEntry = 40
    /// Thread entries the feed carries at most: those whose newest story is newest, then the
    /// best ranked.
    public static let threadEntries = 50

    /// Bytes of stories' page items an entry carries at most; stories past it are a link away.
    /// The items of a big day's top stories list hundreds of articles each: without a bound a
    /// feed of 14 such days was 20 MB, too big for feed readers and held whole while written.
    public static let entryBudget = 256 * 1024

    /// What an entry has used of `entryBudget`, item by item (best first): the first item is
    /// always taken, the next ones while the total stays within the budget.
    public struct Budget: Sendable {
        private var used = 0
        private var taken = 0
        private let limit: Int

        public init(limit: Int = AtomFeed.entryBudget) {
            self.limit = limit
        }

        /// Whether an item of `bytes` still fits (then it counts as taken).
        public mutating func admits(_ bytes: Int) -> Bool {
            used += bytes
            guard taken == 0 || used <= limit else { return false }
            taken += 1
            return true
        }
    }

    /// The first of `items` (best first) that fit in `entryBudget` (at least one).
    public static func withinBudget(_ items: [String]) -> [String] {
        var budget = Budget()
        var out: [String] = []
        for item in items {
            guard budget.admits(item.utf8.count) else { break }
            out.append(item)
        }
        return out
    }

    public static func render(_ settings: Settings, entries: [Entry], threads: [ThreadEntry] = []) -> String {
        var out = ""
        head(settings, newest: (entries.map(\.updated) + threads.map(\.updated)).max() ?? 0) { out += $0 }
        for e in entries { entry(settings, e) { out += $0 } }
        for t in threads { entry(settings, t) { out += $0 } }
        return out + tail
    }

    static func base(_ settings: Settings) -> String {
        settings.baseURL.isEmpty || settings.baseURL.hasSuffix("/") ? settings.baseURL : settings.baseURL + "/"
    }

    static func tag(_ settings: Settings) -> String { "tag:\(settings.authority),\(settings.since):newsdigest" }

    static func x(_ s: String) -> String { HTMLTemplate.escape(s) }

    /// The feed's own elements, before its entries; `newest` is the latest entry's `updated`.
    public static func head(_ settings: Settings, newest: Double, into sink: (String) throws -> Void) rethrows {
        let base = base(settings)
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <id>\(x(tag(settings)))</id>
            <title>News digests</title>
            <updated>\(timestamp(newest))</updated>
            <author><name>newsdigest</name></author>
            <generator>newsdigest</generator>
            <link rel="alternate" type="text/html" href="\(x(base))index.html"/>

            """
        if !base.isEmpty { out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"\(x(base))feed.atom\"/>\n" }
        try sink(out)
    }

    public static let tail = "</feed>\n"

    /// A day's entry. Its content is escaped piece by piece as it is handed on.
    public static func entry(_ settings: Settings, _ e: Entry, into sink: (String) throws -> Void) rethrows {
        let base = base(settings)
        let day = e.line.day
        try sink(
            """
            <entry>
            <id>\(x("\(tag(settings)):day:\(day)"))</id>
            <title>News digest, \(x(HTMLRendering.longDay(day)))</title>
            <updated>\(timestamp(e.updated))</updated>
            <link rel="alternate" type="text/html" href="\(x(base))\(day).html"/>
            <summary>\(x(e.line.headlines.first ?? MarkdownRendering.plural(e.line.stories, "story", "stories")))</summary>
            <content type="html">
            """)
        var content = "<p>" + x(MarkdownRendering.plural(e.line.stories, "story", "stories")) + " from "
        content += x(MarkdownRendering.plural(e.line.articles, "article", "articles")) + ".</p>\n<ol>\n"
        try sink(x(content))
        for story in e.stories { try sink(x(story)) }
        var end = "</ol>\n"
        if e.line.stories > e.stories.count {
            end +=
                "<p><a href=\"\(x(base))\(day).html\">\(e.line.stories - e.stories.count) more stories on the day's page</a></p>\n"
        }
        try sink(x(end) + "</content>\n</entry>\n\n")
    }

    /// A thread's entry.
    public static func entry(_ settings: Settings, _ t: ThreadEntry, into sink: (String) throws -> Void) rethrows {
        guard let latest = t.stories.first else { return }
        let base = base(settings)
        try sink(
            """
            <entry>
            <id>\(x("\(tag(settings)):thread:\(t.thread)"))</id>
            <title>\(x(latest.headline))</title>
            <updated>\(timestamp(t.updated))</updated>
            <link rel="alternate" type="text/html" href="\(x(base))\(latest.day).html#story-\(x(latest.id))"/>
            <summary>\(x(MarkdownRendering.plural(t.stories.count, "day", "days") + ": " + latest.headline))</summary>
            <content type="html">
            """)
        try sink(x("<p>" + x("Continuing since " + HTMLRendering.longDay(t.since)) + ".</p>\n"))
        for s in t.stories {
            // The day as a line of its own: each story's item has its own heading.
            try sink(x("<p><strong>" + x(HTMLRendering.longDay(s.day)) + "</strong></p>\n<ol>\n"))
            try sink(x(s.html))
            try sink(x("</ol>\n"))
        }
        try sink("</content>\n</entry>\n\n")
    }

    /// RFC 3339 in UTC, to the second.
    public static func timestamp(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.down))
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let rest = s - days * 86_400
        let (y, m, d) = DayNumber.toCivil(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}
