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
        /// When the entry's content last changed, seconds since the epoch.
        public var updated: Double

        public init(
            thread: String, stories: [(day: String, id: String, headline: String, html: String)], updated: Double
        ) {
            self.thread = thread
            self.stories = stories
            self.updated = updated
        }

        /// What a reader sees of the entry, hashed: its `updated` moves only when this changes.
        public var contentHash: UInt64 {
            stories.reduce(StableHash.string(thread)) {
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

    public static func render(_ settings: Settings, entries: [Entry], threads: [ThreadEntry] = []) -> String {
        let base =
            settings.baseURL.isEmpty || settings.baseURL.hasSuffix("/") ? settings.baseURL : settings.baseURL + "/"
        func x(_ s: String) -> String { HTMLTemplate.escape(s) }
        let tag = "tag:\(settings.authority),\(settings.since):newsdigest"
        let newest = (entries.map(\.updated) + threads.map(\.updated)).max() ?? 0
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <id>\(x(tag))</id>
            <title>News digests</title>
            <updated>\(timestamp(newest))</updated>
            <author><name>newsdigest</name></author>
            <generator>newsdigest</generator>
            <link rel="alternate" type="text/html" href="\(x(base))index.html"/>

            """
        if !base.isEmpty { out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"\(x(base))feed.atom\"/>\n" }
        for e in entries {
            let day = e.line.day
            var content = "<p>" + x(MarkdownRendering.plural(e.line.stories, "story", "stories")) + " from "
            content += x(MarkdownRendering.plural(e.line.articles, "article", "articles")) + ".</p>\n"
            content += "<ol>\n" + e.stories.joined() + "</ol>\n"
            if e.line.stories > e.stories.count {
                content +=
                    "<p><a href=\"\(x(base))\(day).html\">\(e.line.stories - e.stories.count) more stories on the day's page</a></p>\n"
            }
            out += """
                <entry>
                <id>\(x("\(tag):day:\(day)"))</id>
                <title>News digest, \(x(HTMLRendering.longDay(day)))</title>
                <updated>\(timestamp(e.updated))</updated>
                <link rel="alternate" type="text/html" href="\(x(base))\(day).html"/>
                <summary>\(x(e.line.headlines.first ?? MarkdownRendering.plural(e.line.stories, "story", "stories")))</summary>
                <content type="html">\(x(content))</content>
                </entry>

                """
        }
        for t in threads {
            guard let latest = t.stories.first else { continue }
            var content = "<p>" + x("Continuing since " + HTMLRendering.longDay(t.stories.last!.day)) + ".</p>\n"
            for s in t.stories {
                // The day as a line of its own: each story's item has its own heading.
                content +=
                    "<p><strong>" + x(HTMLRendering.longDay(s.day)) + "</strong></p>\n<ol>\n" + s.html + "</ol>\n"
            }
            out += """
                <entry>
                <id>\(x("\(tag):thread:\(t.thread)"))</id>
                <title>\(x(latest.headline))</title>
                <updated>\(timestamp(t.updated))</updated>
                <link rel="alternate" type="text/html" href="\(x(base))\(latest.day).html#story-\(x(latest.id))"/>
                <summary>\(x(MarkdownRendering.plural(t.stories.count, "day", "days") + ": " + latest.headline))</summary>
                <content type="html">\(x(content))</content>
                </entry>

                """
        }
        return out + "</feed>\n"
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
