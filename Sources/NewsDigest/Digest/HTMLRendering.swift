/// The digest as a web page (`DIGESTS/YYYY-MM-DD.html`) and the page of all days
/// (`index.html`), from the templates in Digest/Templates: one static page, no script, nothing
/// fetched. Every text from an input is escaped by the template; a link is made only of an http
/// or https URL.
public enum HTMLRendering {
    // The templates are compiled into the binary and parsed once; RenderingTests parse each, so
    // a broken one fails the tests, not a run.
    static let storyTemplate = try! HTMLTemplate(EmbeddedTemplates.story)
    static let dayTemplate = try! HTMLTemplate(EmbeddedTemplates.dayPage)
    static let indexTemplate = try! HTMLTemplate(EmbeddedTemplates.indexPage)
    static var style: String { EmbeddedTemplates.style }

    /// One story's item in the page's list of stories: the same bytes wherever it ranks (the
    /// list numbers it), so it is rendered once and kept until the story changes.
    public static func story(_ story: Digest.Story) -> String {
        let byID = Dictionary(story.articles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let articles: [[String: HTMLTemplate.Value]] = story.articles.map { a in
            var item: [String: HTMLTemplate.Value] = [
                "title": .text(a.title.isEmpty ? InputName.display(a.file) : a.title), "source": .text(a.source),
            ]
            if let url = a.url.flatMap(HTMLTemplate.safeURL) { item["url"] = .text(url) }
            if let of = a.duplicateOf.flatMap({ byID[$0] }) { item["copyOf"] = .text(of.source) }
            return item
        }
        let count = story.articles.count
        return storyTemplate.render([
            "id": .text(story.id),
            "headline": .text(story.headline),
            "since": .text(MarkdownRendering.continuing(story.thread) ?? ""),
            "summary": .flag(!story.summary.isEmpty),
            "sentences": .list(story.summary.map { ["text": .text($0.text), "source": .text($0.source)] }),
            "sources": .text(story.sources.joined(separator: ", ")),
            "articleCount": .text(count == 1 ? "1 article" : "\(count) articles"),
            "articles": .list(articles),
        ])
    }

    /// The story's line in the page's contents.
    public static func toc(_ story: Digest.Story) -> String {
        "<li><a href=\"#story-\(HTMLTemplate.escape(story.id))\">\(HTMLTemplate.escape(story.headline))</a></li>\n"
    }

    /// The day's page; `toc` and `stories` hand over the kept pieces best first.
    public static func page(
        day: String, counts: Digest.Counts, sources: Int, previous: String?, next: String?,
        rejected: some Collection<Digest.Rejected>,
        toc: @escaping ((String) throws -> Void) throws -> Void,
        stories: @escaping ((String) throws -> Void) throws -> Void,
        into sink: (String) throws -> Void
    ) throws {
        var context: [String: HTMLTemplate.Value] = [
            "style": .html(style),
            "day": .text(day),
            "longDay": .text(longDay(day)),
            "counts": .text(MarkdownRendering.countsSentence(counts, sources: sources)),
            "hasStories": .flag(counts.stories > 0),
            // A short day's contents are open; a long day's would push its first story far
            // down a phone's screen, so they open on a tap.
            "tocOpen": .flag(counts.stories <= 12),
            "storyCount": .text("Contents: " + MarkdownRendering.plural(counts.stories, "story", "stories")),
            "toc": .stream(toc),
            "stories": .stream(stories),
            "hasRejected": .flag(!rejected.isEmpty),
            "rejected": .list(
                rejected.map { ["file": .text(InputName.display($0.file)), "reason": .text($0.reason)] }),
            "files": .text(MarkdownRendering.plural(counts.files, "file", "files")),
        ]
        if let previous {
            context["previous"] = .text(previous)
            context["previousLabel"] = .text(MarkdownRendering.shortDay(previous))
        }
        if let next {
            context["next"] = .text(next)
            context["nextLabel"] = .text(MarkdownRendering.shortDay(next))
        }
        try dayTemplate.render(context, into: sink)
    }

    /// The whole page of a digest built in memory (tests, and the reference the kept pieces
    /// must agree with).
    public static func render(_ d: Digest, previous: String? = nil, next: String? = nil) -> String {
        var whole = ""
        try? page(
            day: d.date, counts: d.counts, sources: Set(d.stories.flatMap(\.sources)).count, previous: previous,
            next: next, rejected: d.rejected,
            toc: { sink in for s in d.stories { try sink(toc(s)) } },
            stories: { sink in for s in d.stories { try sink(story(s)) } },
            into: { whole += $0 })
        return whole
    }

    /// A written day as the index shows it.
    public struct DayLine: Sendable, Equatable {
        public var day: String
        public var stories: Int
        public var articles: Int
        public var headlines: [String]
        /// The ids of the stories of `headlines`, in order (the index links to them); may be empty.
        public var storyIDs: [String]

        public init(day: String, stories: Int, articles: Int, headlines: [String], storyIDs: [String] = []) {
            self.storyIDs = storyIDs
            self.day = day
            self.stories = stories
            self.articles = articles
            self.headlines = headlines
        }
    }

    /// `index.html`: the days, newest first, each with its counts and top headlines.
    public static func index(_ days: [DayLine]) -> String {
        indexTemplate.render([
            "style": .html(style),
            "dayCount": .text(MarkdownRendering.plural(days.count, "day", "days")),
            "hasDays": .flag(!days.isEmpty),
            "days": .list(
                days.map { d in
                    [
                        "day": .text(d.day), "longDay": .text(longDay(d.day)),
                        "counts": .text(
                            "\(MarkdownRendering.plural(d.stories, "story", "stories")), "
                                + MarkdownRendering.plural(d.articles, "article", "articles")),
                        "hasHeadlines": .flag(!d.headlines.isEmpty),
                        "headlines": .list(
                            d.headlines.enumerated().map { i, h in
                                var item: [String: HTMLTemplate.Value] = ["headline": .text(h)]
                                if i < d.storyIDs.count { item["id"] = .text(d.storyIDs[i]) }
                                return item
                            }),
                    ]
                }),
        ])
    }

    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// "Monday 7 December 2026" of "2026-12-07".
    public static func longDay(_ day: String) -> String {
        guard let n = DayNumber.parse(day) else { return day }
        let (y, m, d) = DayNumber.toCivil(n)
        // 1970-01-01, day 0, was a Thursday.
        let weekday = weekdays[((n % 7) + 7 + 4) % 7]
        return "\(weekday) \(d) \(monthNames[m - 1]) \(y)"
    }
}
