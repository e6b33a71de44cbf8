import Foundation
import Testing

@testable import NewsDigest

/// The HTML outputs against hostile input: titles, text, sources and URLs are what scrapers
/// fetched from anywhere, and none of it may become markup, script or a request.
@Suite struct HTMLRenderingTests {
    static func digest(title: String, sentence: String, source: String, url: String?, file: String = "f.txt")
        -> Digest
    {
        var article = Digest.Article(id: "a1", file: file, source: source, title: title, duplicateOf: nil)
        article.url = url
        let story = Digest.Story(
            id: "s1", thread: StoryThread(id: "2026-01-02/s1"), headline: title, sources: [source],
            summary: [Digest.Sentence(text: sentence, article: "a1", source: source)], articles: [article])
        var counts = Digest.Counts()
        counts.files = 2
        counts.articles = 1
        counts.stories = 1
        counts.rejected = 1
        return Digest(
            date: "2026-01-02", counts: counts, stories: [story], exactDuplicates: [],
            rejected: [Digest.Rejected(file: "<b>bad.txt", reason: "<i>binary</i>")])
    }

    /// The page's markup without the parts that are text: what a browser would parse as tags.
    static func tags(_ html: String) -> [String] {
        html.matches(of: /<[a-zA-Z!\/][^>]*>/).map { String($0.output) }
    }

    @Test(arguments: [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>",
        "</li></ol><script src=//evil.example/x.js></script>", "a & b < c > d \" e ' f",
    ])
    func hostileTextStaysText(_ hostile: String) {
        let page = HTMLRendering.render(
            Self.digest(title: hostile, sentence: hostile, source: hostile, url: "https://example.org/a?q=\"x\"&b=<y>"))
        #expect(!page.contains(hostile) || !hostile.contains(where: { "<>\"'&".contains($0) }))
        let tags = Self.tags(page)
        #expect(!tags.contains { $0.lowercased().hasPrefix("<script") }, "a script tag: \(tags)")
        #expect(!tags.contains { $0.lowercased().hasPrefix("<img") || $0.lowercased().hasPrefix("<svg") })
        #expect(!tags.contains { $0.lowercased().contains("onerror") || $0.lowercased().contains("onload") })
        // The escaped text is there, once per place it stands.
        #expect(page.contains(HTMLTemplate.escape(hostile)))
    }

    @Test(arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/", "ftp://example.org/x",
        "https://exa mple.org/", "https://example.org/\u{0}",
    ])
    func onlyHTTPURLsAreLinked(_ url: String) {
        let page = HTMLRendering.render(Self.digest(title: "Title", sentence: "S.", source: "src", url: url))
        let hrefs = page.matches(of: /href="([^"]*)"/).map { String($0.output.1) }
        #expect(hrefs.allSatisfy { $0.hasPrefix("#") || $0.hasSuffix(".html") || $0.hasSuffix(".json") }, "\(hrefs)")
        #expect(page.contains("<li>Title <span class=\"outlet\">src</span></li>"))
    }

    @Test func anHTTPSURLIsLinkedWithItsQuotesEscaped() {
        let page = HTMLRendering.render(
            Self.digest(title: "Title", sentence: "S.", source: "src", url: "https://example.org/a?q=\"x\"&b=1"))
        #expect(page.contains("<a href=\"https://example.org/a?q=&quot;x&quot;&amp;b=1\" rel=\"noopener noreferrer\">"))
    }

    @Test func thePageFetchesNothingAndRunsNothing() {
        let page = HTMLRendering.render(
            Self.digest(title: "Title", sentence: "S.", source: "src", url: "https://example.org/"),
            previous: "2026-01-01",
            next: "2026-01-03")
        let tags = Self.tags(page).map { $0.lowercased() }
        for fetching in ["<script", "<img", "<link", "<iframe", "<object", "<embed", "<video", "<audio", "<source"] {
            #expect(!tags.contains { $0.hasPrefix(fetching) }, "\(fetching)")
        }
        #expect(!page.contains("url("), "no CSS that loads anything")
        #expect(!page.contains("@import"))
        #expect(page.contains("<a href=\"2026-01-01.html\" rel=\"prev\">"))
        #expect(page.contains("<a href=\"2026-01-03.html\" rel=\"next\">"))
        #expect(page.contains("<code>&lt;b&gt;bad.txt</code>: &lt;i&gt;binary&lt;/i&gt;"))
    }

    @Test func templatesParseAndSyntaxErrorsAreCaught() throws {
        for source in [
            EmbeddedTemplates.dayPage, EmbeddedTemplates.story, EmbeddedTemplates.indexPage, EmbeddedTemplates.style,
        ] {
            _ = try HTMLTemplate(source)
        }
        #expect(throws: HTMLTemplate.SyntaxError.self) { try HTMLTemplate("{{#a}}never closed") }
        #expect(throws: HTMLTemplate.SyntaxError.self) { try HTMLTemplate("{{#a}}x{{/b}}") }
        #expect(throws: HTMLTemplate.SyntaxError.self) { try HTMLTemplate("{{open") }
        let t = try HTMLTemplate("{{#list}}[{{name}}]{{/list}}{{^list}}none{{/list}} {{{raw}}} {{text}}")
        #expect(
            t.render([
                "list": .list([["name": .text("<a>")], ["name": .text("b")]]), "raw": .html("<i>"),
                "text": .html("<i>"),
            ])
                == "[&lt;a&gt;][b] <i> &lt;i&gt;")
        #expect(t.render(["list": .list([])]) == "none  ")
    }

    @Test func feedEscapesContentAndKeepsIDsStable() throws {
        let story = HTMLRendering.story(
            Self.digest(title: "<script>x</script> & co", sentence: "S.", source: "src", url: nil).stories[0])
        let settings = AtomFeed.Settings(baseURL: "", authority: "news.example.org", since: "2026-01-01", days: 14)
        let entry = AtomFeed.Entry(
            line: HTMLRendering.DayLine(
                day: "2026-01-02", stories: 1, articles: 1, headlines: ["<script>x</script> & co"]),
            updated: 1_767_312_000, stories: [story])
        let feed = AtomFeed.render(settings, entries: [entry])
        // Parsed by a real feed parser in FeedTests; here, the text as written.
        #expect(feed.contains("<id>tag:news.example.org,2026-01-01:newsdigest:day:2026-01-02</id>"))
        let content = try #require(feed.firstMatch(of: /<content type="html">([^<]*)<\/content>/)).output.1
        #expect(content.contains("&amp;lt;script&amp;gt;x&amp;lt;/script&amp;gt; &amp;amp; co"), "escaped twice")
        #expect(!feed.contains("<script>"))
        #expect(AtomFeed.timestamp(1_767_312_000) == "2026-01-02T00:00:00Z")
        #expect(AtomFeed.render(settings, entries: [entry]) == feed, "the same days give the same bytes")
    }

    @Test func anEntryCarriesStoriesUpToItsBudgetAndAlwaysOne() {
        let big = String(repeating: "x", count: AtomFeed.entryBudget / 3)
        #expect(AtomFeed.withinBudget([big, big, big, big]).count == 3)
        #expect(AtomFeed.withinBudget([big + big + big + big, "small"]).count == 1, "the best story even if big")
        #expect(AtomFeed.withinBudget(["a", "b"]).count == 2)
        #expect(AtomFeed.withinBudget([]).isEmpty)
    }

    @Test func aThreadEntryIsEscapedAndItsHashFollowsWhatItShows() throws {
        let hostile = "<script>x</script> & co"
        let story = HTMLRendering.story(Self.digest(title: hostile, sentence: "S.", source: "src", url: nil).stories[0])
        let settings = AtomFeed.Settings(
            baseURL: "", authority: "news.example.org", since: "2026-01-01", days: 14, threads: true)
        let thread = AtomFeed.ThreadEntry(
            thread: "2026-01-01/s\"<1>",
            stories: [("2026-01-02", "s2", hostile, story), ("2026-01-01", "s1", "Old", story)],
            updated: 1_767_312_000)
        let feed = AtomFeed.render(settings, entries: [], threads: [thread])
        #expect(feed.contains("<id>tag:news.example.org,2026-01-01:newsdigest:thread:2026-01-01/s&quot;&lt;1&gt;</id>"))
        #expect(feed.contains("<title>&lt;script&gt;x&lt;/script&gt; &amp; co</title>"), "titled by the newest story")
        #expect(!feed.contains("<script>"))
        #expect(feed.contains("href=\"2026-01-02.html#story-s2\""))
        var changed = thread
        changed.stories[1].html += "<li>more</li>"
        #expect(changed.contentHash != thread.contentHash)
        var same = thread
        same.updated = 0
        #expect(same.contentHash == thread.contentHash, "when it was written is not what it shows")
    }

    @Test(arguments: [
        ("2026-12-07", "Monday 7 December 2026"), ("1970-01-01", "Thursday 1 January 1970"),
        ("2024-02-29", "Thursday 29 February 2024"),
    ])
    func longDays(_ day: String, _ expected: String) {
        #expect(HTMLRendering.longDay(day) == expected)
    }
}
