import Foundation
import Testing

@testable import NewsDigest

/// Pages of our own, each with one thing a news page does: furniture around the article, its
/// metadata in one of the places publishers put it, a character set declared or not.
@Suite struct HTMLArticleTests {
    static let story = """
        <p>The harbour authority closed berth seven on Monday after a container crane collapsed, injuring four dock workers, officials said.</p>
        <p>Inspectors from the port, the union and the crane's maker examined the wreck through the night, and the harbour master said the cause was not yet known.</p>
        <p>Ships due at the berth this week will be sent to the east quay, which the authority said could take them without delay.</p>
        """

    static func page(head: String = "", body: String) -> [UInt8] {
        Array("<!doctype html><html><head><meta charset=\"utf-8\">\(head)</head><body>\(body)</body></html>".utf8)
    }

    static func extract(_ bytes: [UInt8]) throws -> HTMLArticle.Page {
        try HTMLArticle.extract(bytes).get()
    }

    @Test func theArticleIsKeptAndTheFurnitureAroundItDropped() throws {
        let body = """
            <header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
            <div class="share-bar"><a href="#">Share on social media and tell your friends about it now</a></div>
            <main><article><h1>Crane collapses at Port Elsmere</h1>\(Self.story)
            <figure><img src="x.jpg"><figcaption>The crane lies across berth seven on Monday, seen from the east quay.</figcaption></figure>
            </article></main>
            <aside class="related"><h3>Related</h3><ul><li><a href="/a">Another story about the port and its cranes</a></li></ul></aside>
            <div id="comments"><p>I always said that crane looked unsafe, and nobody listened to me.</p></div>
            <div class="cookie-banner"><p>We use cookies to improve your experience on this site, accept them all.</p></div>
            <footer><p>Copyright 2026 The Elsmere Herald. All rights reserved by the publisher.</p></footer>
            """
        let page = try Self.extract(Self.page(body: body))
        #expect(page.title == "Crane collapses at Port Elsmere")
        #expect(page.text.hasPrefix("The harbour authority closed berth seven"))
        #expect(page.text.contains("sent to the east quay"))
        for furniture in [
            "Home", "Share on social", "crane lies across", "Another story", "looked unsafe", "cookies", "Copyright",
        ] {
            #expect(!page.text.contains(furniture), "\(furniture) is furniture")
        }
        #expect(page.text.components(separatedBy: "\n\n").count == 3, "one paragraph per <p>")
    }

    @Test func namesAreOnlyHintsWhenTheyHoldTheArticle() throws {
        // Page builders wrap the article in a <header> or a "layout-sidebar-right" block.
        for wrapper in ["<header class=\"section_blog-post\">", "<div class=\"wp-block-layout-sidebar-right\">"] {
            let close = wrapper.hasPrefix("<header") ? "</header>" : "</div>"
            let body = """
                <nav><a href="/">Home</a> <a href="/news">News</a></nav>\(wrapper)<h1>Crane collapses at Port Elsmere</h1>\(Self.story)\(close)
                <div class="sidebar"><p>Sign up for our newsletter and get the news every morning, free.</p></div>
                """
            let page = try Self.extract(Self.page(body: body))
            #expect(page.text.hasPrefix("The harbour authority"), "\(wrapper)")
            #expect(!page.text.contains("newsletter"), "\(wrapper)")
        }
    }

    @Test func withoutArticleMarkupTheDensestProseWins() throws {
        let body = """
            <div class="top"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/contact">Contact us</a></div>
            <div class="col-left"><ul><li><a href="/1">Council budget vote delayed to Friday</a></li><li><a href="/2">School roof repairs begin</a></li></ul></div>
            <div class="col-main"><div class="block">\(Self.story)</div></div>
            <div class="small-print"><p>Terms apply.</p></div>
            """
        let page = try Self.extract(
            Self.page(head: "<title>Crane collapses at Port Elsmere | Elsmere Herald</title>", body: body))
        #expect(page.text.hasPrefix("The harbour authority"))
        #expect(!page.text.contains("Council budget"))
        #expect(page.title == "Crane collapses at Port Elsmere", "the site's part of <title> removed")
    }

    @Test func reactsStreamedPartsAreReadAndOtherHiddenElementsAreNot() throws {
        // React's streamed rendering sends the article as <div hidden id="S:0"> and a script
        // moves it into place; a hidden element of the page's own stays unread.
        let body = """
            <div id="shell"><template id="B:0"></template><p>Loading…</p></div>
            <div hidden id="S:0"><div class="story"><h1>Crane collapses at Port Elsmere</h1>\(Self.story)</div></div>
            <div hidden id="survey"><p>Tell us what you think of our new website in a short survey of five questions.</p></div>
            <script>$RC("B:0","S:0")</script>
            """
        let page = try Self.extract(Self.page(body: body))
        #expect(page.text.hasPrefix("The harbour authority"))
        #expect(!page.text.contains("survey"))
        for id in ["S:x", "S:", "T:0"] {
            let other = body.replacingOccurrences(of: "id=\"S:0\"", with: "id=\"\(id)\"")
            #expect(throws: Rejection.self, "\(id)") { try Self.extract(Self.page(body: other)) }
        }
    }

    @Test func shortListItemsAndTableCellsOfTheArticleAreKept() throws {
        let body = """
            <div class="toolbar"><span>Print</span> <span>Email</span></div>
            <article><h1>The ten most borrowed books at the Elsmere library</h1>
            <p>The library counted every loan of the year, and the list below gives the ten titles borrowed most often, with the number of loans.</p>
            <ol><li>The Harbour Master</li><li>Cranes of the North</li><li>Seven Berths</li></ol>
            <figure class="wp-block-table"><table><tr><td>The Harbour Master</td><td>1,204 loans</td></tr><tr><td>Seven Berths</td><td>987 loans</td></tr></table></figure>
            <figure><img src="shelf.jpg"><figcaption>The shelf of most borrowed books by the library's front door, in December.</figcaption></figure>
            <div class="byline-small"><span>Share</span></div></article>
            """
        let page = try Self.extract(Self.page(body: body))
        for kept in ["Cranes of the North", "Seven Berths", "1,204 loans"] {
            #expect(page.text.contains(kept), "\(kept)")
        }
        #expect(!page.text.contains("Print"))
        #expect(!page.text.contains("Share"))
        #expect(!page.text.contains("The shelf of most borrowed"), "a picture's caption")
    }

    @Test func thePagesOneArticleElementIsNotTheArticleWhenMostProseIsOutsideIt() throws {
        let body = """
            <div class="post-body"><h1>Crane collapses at Port Elsmere</h1>\(Self.story)
            <p>The authority said a full report on the collapse, its causes and the repairs needed would be published within a month, and that the berth would stay closed until then.</p></div>
            <p>Dock workers said they had raised the crane's age with the port twice this year, and the union asked for every crane of that type on the quays to be checked before it is used again.</p>
            <p>The crane's maker said it would send engineers, and that cranes of the same model at other ports had been inspected in the spring without any fault being found, according to its statement.</p></div>
            <article class="faq"><h2>Questions</h2>
            <p>How do I reach the harbour office? The office is on the east quay, next to the ferry terminal, and can be reached by bus or on foot from the station.</p>
            <p>When is it open? From Monday to Friday, from eight in the morning to six in the evening, and on Saturdays until noon, except on public holidays.</p>
            <p>Can I visit the berths? Visits are possible with a guide only, on the first Sunday of each month, and must be booked a week ahead at the office.</p></article>
            """
        let page = try Self.extract(Self.page(body: body))
        #expect(page.text.hasPrefix("The harbour authority"), "\(page.text)")
        #expect(page.text.contains("full report on the collapse"))
        // The same <article> around the story is the article, and what is outside it is not.
        let wrapped = try Self.extract(
            Self.page(
                body:
                    "<article>\(Self.story)</article><div><p>How do I reach the harbour office, and when is it open?</p></div>"
            ))
        #expect(wrapped.text.hasPrefix("The harbour authority") && !wrapped.text.contains("harbour office"))
    }

    @Test func aReadMoreFoldIsTheRestOfTheArticleAndAReadMoreLinkIsNot() throws {
        let body = """
            <article><h1>Crane collapses at Port Elsmere</h1>
            <p>The harbour authority closed berth seven on Monday after a container crane collapsed, injuring four dock workers, officials said.</p>
            <p>Ships due at the berth this week will be sent to the east quay, which the authority said could take them without delay.</p>
            <div class="readmore-wrapper"><div class="readmore-content">
            <p>Inspectors from the port, the union and the crane's maker examined the wreck through the night, and the harbour master said the cause was not yet known.</p>
            </div><button>Read more</button></div>
            <p class="read-more"><a href="/port/cranes">Read more: every crane accident at the port since 2010</a></p>
            </article>
            """
        let page = try Self.extract(Self.page(body: body))
        #expect(page.text.contains("Inspectors from the port"), "\(page.text)")
        #expect(!page.text.contains("every crane accident"))
    }

    @Test func aSiteNameThatIsAURLGivesItsHost() throws {
        let page = try Self.extract(
            Self.page(
                head: "<meta property=\"og:site_name\" content=\"https://www.elsmere-herald.example/\">",
                body: "<article>\(Self.story)</article>"))
        // The page's own words in `extract`; the outlet an article gets is the host.
        #expect(page.site == "https://www.elsmere-herald.example/")
        #expect(HTMLArticle.article(page, fallbackSource: "unknown").source == "www.elsmere-herald.example")
    }

    @Test func aShortArticleInTheMarkedBodyIsKeptOverABlurbElsewhere() throws {
        let short =
            "The harbour authority closed berth seven on Monday after a container crane collapsed, injuring four dock workers, officials said. Ships due at the berth will go to the east quay."
        let blurb =
            "<div class=\"service\"><p>Our customer service centre can be reached on weekdays, by telephone, by e-mail, by fax, or by letter to the address below, and it answers, as a rule, within two working days, except on public holidays, when it may take a little longer.</p></div>"
        let marked = "<div itemprop=\"articleBody\">\(short)</div>"
        let page = try Self.extract(Self.page(body: marked + blurb))
        #expect(page.text.hasPrefix("The harbour authority"), "\(page.text)")
        // A marked teaser above much more prose elsewhere gives way to it.
        let teaser = "<div itemprop=\"articleBody\"><p>Crane collapses at the port, injuring four.</p></div>"
        let full = "<div class=\"story\">\(Self.story)</div>"
        let second = try Self.extract(Self.page(body: teaser + full))
        #expect(second.text.contains("Inspectors from the port"), "\(second.text)")
    }

    @Test func metadataFromJSONLDOpenGraphAndTheURL() throws {
        let head = """
            <meta property="og:site_name" content="Elsmere Herald">
            <meta property="og:title" content="Crane collapses at Port Elsmere">
            <link rel="canonical" href="https://herald.example/2026/03/02/crane-collapses">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","datePublished":"2026-03-02T08:15:00Z","author":{"@type":"Person","name":"Ada Byrne"}}]}</script>
            """
        let page = try Self.extract(Self.page(head: head, body: "<article>\(Self.story)</article>"))
        #expect(page.site == "Elsmere Herald")
        #expect(page.url == "https://herald.example/2026/03/02/crane-collapses")
        #expect(page.date == "2026-03-02")
        #expect(page.author == "Ada Byrne")
        #expect(page.title == "Crane collapses at Port Elsmere")
        let raw = try ArticleReader.read(
            bytes: Self.page(head: head, body: "<article>\(Self.story)</article>"), fileName: "a.html",
            folderSource: "wire"
        ).get()
        #expect(raw.source == "Elsmere Herald", "the page's site name is its source")
        #expect(raw.url == page.url)
        // No site name: the drop folder's outlet, else the URL's host.
        let plain = Self.page(
            head: "<link rel=\"canonical\" href=\"https://herald.example/crane\">",
            body: "<article>\(Self.story)</article>")
        #expect(try ArticleReader.read(bytes: plain, fileName: "a.html", folderSource: "wire").get().source == "wire")
        #expect(
            try ArticleReader.read(bytes: plain, fileName: "a.html", folderSource: nil).get().source == "herald.example"
        )
    }

    @Test(arguments: [
        ("<meta property=\"article:published_time\" content=\"2025-11-04T10:00:00+01:00\">", "", "2025-11-04"),
        ("", "<p class=\"post-date\">Posted on 4 November 2025 by the desk</p>", "2025-11-04"),
        ("", "<time>Nov. 4, 2025</time>", "2025-11-04"),
        ("", "<time datetime=\"2025-11-04\">yesterday</time>", "2025-11-04"),
        ("<link rel=\"canonical\" href=\"https://x.example/news/2025/11/04/story\">", "", "2025-11-04"),
        (
            "<script>window.__DATA__ = {\"slug\": \"x\", \"publishedAt\": \"2025-11-04T10:00:00Z\"}</script>", "",
            "2025-11-04"
        ),
        ("<meta property=\"dc:date dc:created\" content=\"2025-11-04T10:00:00-04:00\">", "", "2025-11-04"),
        ("<meta property=\"article:modified_time\" content=\"2025-11-04T10:00:00Z\">", "", "2025-11-04"),
        (
            "", "<h1>Crane collapses at Port Elsmere</h1><div class=\"x1\"><span>Updated November 4, 2025</span></div>",
            "2025-11-04"
        ),
        ("<meta property=\"article:published_time\" content=\"2025-02-30\">", "", nil),
    ])
    func dates(_ head: String, _ extra: String, _ expected: String?) throws {
        let page = try Self.extract(Self.page(head: head, body: "\(extra)<article>\(Self.story)</article>"))
        #expect(page.date == expected)
    }

    @Test func characterSets() throws {
        let latin1Text =
            Array("<p>Caf".utf8) + [0xE9] + Array(" owners in M".utf8) + [0xFC]
            + Array("nster said the square would reopen in spring, after two years of works.</p>".utf8)
        // Declared Latin-1 (read as Windows-1252, as browsers do).
        let declared =
            Array("<html><head><meta charset=\"iso-8859-1\"></head><body><article>".utf8) + latin1Text
            + Array("</article></body></html>".utf8)
        let a = try Self.extract(declared)
        #expect(a.encoding == "windows-1252")
        #expect(a.text.contains("Café owners in Münster"))
        // Declared nowhere, not UTF-8: Windows-1252 (libxml2 alone would read Latin-1 and lose the quotes).
        let undeclared =
            Array("<html><body><article><p>The mayor said ".utf8) + [0x93] + Array("quoted".utf8) + [0x94]
            + Array(" words at the opening of the square.</p>".utf8) + latin1Text
            + Array("</article></body></html>".utf8)
        let b = try Self.extract(undeclared)
        #expect(b.encoding == "windows-1252")
        #expect(b.text.contains("Café") && b.text.contains("\u{201C}quoted\u{201D}"))
        // Declared UTF-8 but not: read as Windows-1252 rather than garbled or refused.
        let lying =
            Array("<html><head><meta charset=\"utf-8\"></head><body><article>".utf8) + latin1Text
            + Array("</article></body></html>".utf8)
        #expect(try Self.extract(lying).text.contains("Café"))
        // Declared GB2312, saved as UTF-8 (a scraper re-saved it): read as the UTF-8 it is.
        let resaved = Array(
            "<html><head><meta charset=\"gb2312\"></head><body><article><p>港口起重机周一倒塌，四名工人受伤，港务局关闭了七号泊位。</p></article></body></html>"
                .utf8)
        let d = try Self.extract(resaved)
        #expect(d.encoding == "UTF-8" && d.text.contains("港口起重机"))
        // A UTF-8 BOM and an http-equiv.
        let bom =
            [0xEF, 0xBB, 0xBF]
            + Array(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><article><p>Ünïcödé text stays as it is, with its accents and its dashes \u{2014} all of them.</p></article></body></html>"
                    .utf8)
        let c = try Self.extract(bom)
        #expect(c.encoding == "UTF-8" && c.text.hasPrefix("Ünïcödé"))
    }

    @Test func badPagesAreRejectedWithAReasonOrReadAsWellAsTheyCanBe() {
        #expect(throws: Rejection.self) { try HTMLArticle.extract([]).get() }
        #expect(throws: Rejection.self) {
            try HTMLArticle.extract(Array("<html><body><nav><a href=/>Home</a></nav></body></html>".utf8)).get()
        }
        // Unclosed tags, a stray </div>, nesting 5,000 deep: parsed with recovery, never a crash.
        let broken =
            "<html><body><article><p>Broken markup still holds a story about the harbour and its cranes, officials said.<div></span></div></div><p>Second"
        #expect((try? HTMLArticle.extract(Array(broken.utf8)).get())?.text.contains("Broken markup") == true)
        let deep =
            String(repeating: "<div>", count: 5000)
            + "<p>Deep text of the article that goes on for a while, with commas, and more.</p>"
        _ = HTMLArticle.extract(Array(deep.utf8))
        let big = ArticleReader.read(
            bytes: [UInt8](repeating: 0x20, count: 3000), fileName: "a.html", folderSource: nil, maxHTMLBytes: 2000)
        guard case .failure(let r) = big else {
            Issue.record("a page over max_html_bytes was read")
            return
        }
        #expect(r.kind == .size && r.reason.contains("input.max_html_bytes"))
    }

    static func notAnArticle(_ kind: String) -> [UInt8] {
        switch kind {
        case "gzip": return [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x41]
        case "frameset": return Array("<frameset><frame src=\"a.html\"><frame src=\"b.html\"></frameset>".utf8)
        case "scripts":
            return Array(
                "<html><body><script>document.write('<p>Text made by a script, long enough.</p>')</script><noscript>Turn on JavaScript.</noscript></body></html>"
                    .utf8)
        default:  // 50,000 nested elements
            return Array(
                (String(repeating: "<div>", count: 50_000) + "<p>Deep text, long enough, with commas.</p>").utf8)
        }
    }

    @Test(arguments: [
        ("gzip", "binary file (gzip data) named .html"), ("frameset", "no article text"),
        ("scripts", "no article text"), ("deep", ""),
    ])
    func pagesThatAreNoArticles(_ kind: String, _ reason: String) {
        // A clear reason, or (an empty `reason` here) a best effort: never a crash or a hang.
        switch HTMLArticle.extract(Self.notAnArticle(kind)) {
        case .failure(let r): #expect(reason.isEmpty || r.reason.contains(reason), "\(r.reason)")
        case .success(let page): #expect(reason.isEmpty, "read as an article: \(page.text.prefix(80))")
        }
    }

    @Test func aCrawlersJSONRecordWithThePage() throws {
        let html = String(
            decoding: Self.page(
                head: "<meta property=\"og:site_name\" content=\"Elsmere Herald\">",
                body: "<article><h1>Crane collapses at Port Elsmere</h1>\(Self.story)</article>"), as: UTF8.self)
        let record = try JSONSerialization.data(withJSONObject: ["url": "https://herald.example/crane", "html": html])
        let raw = try ArticleReader.read(bytes: Array(record), fileName: "crawl.json", folderSource: nil).get()
        #expect(raw.title == "Crane collapses at Port Elsmere")
        #expect(raw.text.hasPrefix("The harbour authority"))
        #expect(raw.url == "https://herald.example/crane")
        #expect(raw.source == "Elsmere Herald")
    }
}

/// JSON as the extractors people run write it: the outlet is a site name or a host, never a URL.
@Suite struct ExtractorJSONTests {
    static let text = "The harbour authority closed berth seven on Monday after a crane collapsed, officials said."

    @Test(
        arguments: [
            // trafilatura --json --with-metadata: the URL in source, the site in source-hostname.
            (
                #"{"title": "Crane collapses", "text": "\#(text)", "source": "https://herald.example/crane", "source-hostname": "Elsmere Herald", "hostname": "herald.example", "date": "2026-03-02"}"#,
                "Elsmere Herald", "https://herald.example/crane", "2026-03-02"
            ),
            // trafilatura without a site name: the host.
            (
                #"{"title": "Crane collapses", "text": "\#(text)", "source": "https://herald.example/crane", "hostname": "herald.example"}"#,
                "herald.example", "https://herald.example/crane", nil
            ),
            // news-please.
            (
                #"{"title": "Crane collapses", "maintext": "\#(text)", "date_publish": "2026-03-02 08:15:00", "url": "https://herald.example/crane", "source_domain": "herald.example"}"#,
                "herald.example", "https://herald.example/crane", "2026-03-02 08:15:00"
            ),
            // newspaper.
            (
                #"{"title": "Crane collapses", "text": "\#(text)", "publish_date": "2026-03-02T08:15:00", "canonical_link": "https://herald.example/crane", "meta_site_name": "Elsmere Herald"}"#,
                "Elsmere Herald", "https://herald.example/crane", "2026-03-02T08:15:00"
            ),
            // A scraper's own, a URL but no outlet: the URL's host.
            (
                #"{"title": "Crane collapses", "text": "\#(text)", "url": "https://www.herald.example/x"}"#,
                "www.herald.example", "https://www.herald.example/x", nil
            ),
            // A scraper's own with a plain source.
            (#"{"title": "Crane collapses", "text": "\#(text)", "source": "Herald"}"#, "Herald", nil, nil),
        ] as [(String, String, String?, String?)])
    func recordsMapToOutletURLAndDate(_ json: String, _ source: String, _ url: String?, _ date: String?) throws {
        let raw = try ArticleReader.read(bytes: Array(json.utf8), fileName: "a.json", folderSource: "drop-folder").get()
        #expect(raw.source == source)
        #expect(raw.url == url)
        #expect(raw.date == date)
        #expect(raw.text == Self.text)
    }
}
