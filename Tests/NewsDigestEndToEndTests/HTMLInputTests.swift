import Foundation
import Testing

/// Pages and the JSON that scrapers and extractors write, through `once` as a user runs it:
/// every input is an article or a rejection with its reason, and every outlet is a name or a
/// host, never a URL.
@Suite struct HTMLInputTests {
    static let body =
        "The harbour authority closed berth seven on Monday after a container crane collapsed, injuring four dock workers, officials said. Inspectors examined the wreck through the night."

    @Test func pagesAndExtractorJSONAreReadWithTheirOutlets() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let page = """
            <!doctype html><html><head><meta charset="utf-8"><title>Crane collapses at Port Elsmere | Elsmere Herald</title>
            <meta property="og:site_name" content="Elsmere Herald"><link rel="canonical" href="https://herald.example/crane">
            </head><body><nav><a href="/">Home</a></nav><article><h1>Crane collapses at Port Elsmere</h1><p>\(Self.body)</p></article>
            <div class="comments"><p>Nobody listened to the dock workers about that crane, again and again.</p></div></body></html>
            """
        let inputs: [(String, String)] = [
            ("herald.html", page),
            (
                "trafilatura.json",
                #"{"title": "Ferry timetable changes in spring", "text": "The harbour ferry will run every twenty minutes from April, the operator said on Monday.", "source": "https://courier.example/ferry", "source-hostname": "Coastal Courier", "hostname": "courier.example", "date": "2026-03-02"}"#
            ),
            (
                "newsplease.json",
                #"{"title": "Library opens on Sundays", "maintext": "The central library will open on Sundays from next month, the council said on Tuesday.", "url": "https://gazette.example/library", "source_domain": "gazette.example", "date_publish": "2026-03-02 09:00:00"}"#
            ),
            (
                "crawler.json",
                try String(
                    data: JSONSerialization.data(withJSONObject: [
                        "url": "https://herald.example/crane-2",
                        "html": page.replacingOccurrences(of: "Monday", with: "Tuesday")
                            .replacingOccurrences(of: "four dock workers", with: "two crane drivers"),
                    ]), encoding: .utf8)!
            ),
            (
                "menu.html",
                "<html><head><title>Sections</title></head><body><nav><a href=\"/\">Home</a></nav></body></html>"
            ),
        ]
        for (name, text) in inputs { try Harness.write(text, to: ws.drop.appendingPathComponent(name)) }
        let config = try Harness.utcConfig(in: ws.root, extra: "[input]\nsettle_ms = 0\n")
        let r = try ws.once(config: config)
        #expect(r.status == 0, "\(r.stderr)")
        let digest = try ws.digestJSON().object
        var sources: [String: String] = [:]
        for story in digest.stories {
            for a in story.articles { sources[a["file"] as? String ?? ""] = a["source"] as? String }
        }
        for d in digest.exactDuplicates { sources[d["file"] as? String ?? ""] = "(exact)" }
        #expect(sources["herald.html"] == "Elsmere Herald")
        #expect(sources["trafilatura.json"] == "Coastal Courier")
        #expect(sources["newsplease.json"] == "gazette.example")
        #expect(sources["crawler.json"] == "Elsmere Herald", "the page's site, its URL from the record")
        #expect(sources.values.allSatisfy { !$0.contains("://") }, "an outlet is never a URL: \(sources)")
        let rejected = digest.rejected.map { ($0["file"] as? String ?? "", $0["reason"] as? String ?? "") }
        #expect(rejected.count == 1 && rejected[0].0 == "menu.html")
        #expect(rejected.first?.1.contains("no article text found in the page") == true)
        // The comment section is not the article: no brief sentence comes from it.
        let brief = digest.stories.flatMap(\.summary).map { $0["text"] as? String ?? "" }.joined()
        #expect(!brief.contains("Nobody listened"))
    }
}
