import Foundation
import Testing

@testable import NewsDigest

@Suite struct RenderingTests {
    static func digest(headline: String, sentence: String, file: String) -> Digest {
        let article = Digest.Article(id: "a1", file: file, source: "src|x", title: headline, duplicateOf: nil)
        let story = Digest.Story(
            id: "s1", thread: StoryThread(id: "2026-01-02/s1"), headline: headline, sources: ["src|x"],
            summary: [Digest.Sentence(text: sentence, article: "a1", source: "src|x")], articles: [article])
        var counts = Digest.Counts()
        counts.files = 2
        counts.articles = 1
        counts.stories = 1
        counts.rejected = 1
        return Digest(
            date: "2026-01-02", counts: counts, stories: [story], exactDuplicates: [],
            rejected: [Digest.Rejected(file: "bad`name\n.txt", reason: "empty file")])
    }

    @Test func markdownCannotBeBrokenByArticleText() {
        let md = MarkdownRendering.render(
            Self.digest(headline: "# *Breaking* [link](x) <b>", sentence: "Use `rm -rf` _now_ | ok", file: "f.txt"))
        #expect(md.contains("## 1. # \\*Breaking\\* \\[link\\](x) \\<b\\>"))
        #expect(md.contains("- Use \\`rm -rf\\` \\_now\\_ \\| ok _(src\\|x)_"))
        // A file name with a backtick and a newline stays one inline code span on one line (the
        // newline shown as %0A, as in the logs).
        #expect(md.contains("- `bad'name%0A.txt`: empty file"))
    }

    @Test func jsonEscapesAndParsesBack() throws {
        let text = "quote \" backslash \\ tab \t bell \u{07} line\u{2028}sep é"
        let json = JSONRendering.render(Self.digest(headline: text, sentence: "S.", file: "dir/f\u{1}.txt"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let story = try #require((object["stories"] as? [[String: Any]])?.first)
        #expect(story["headline"] as? String == text)
        let article = try #require((story["articles"] as? [[String: Any]])?.first)
        #expect(article["file"] as? String == "dir/f\u{1}.txt")
        #expect(article["duplicate_of"] is NSNull)
        #expect(json.hasSuffix("}\n"))
    }

    /// Strings without anything to escape are copied whole; everything else goes the slow way.
    @Test(arguments: [
        (
            "plain words, accents é ü, curly quotes \u{2018}x\u{2019} \u{201C}y\u{201D}, dash \u{2014}, emoji \u{1F30A}",
            false
        ),
        ("a \" quote", true), ("a \\ backslash", true), ("a\ttab", true), ("bell\u{07}", true), ("del\u{7F}", true),
        ("line\u{2028}separator", true), ("para\u{2029}separator", true), ("ends in E2 80: \u{2000}", false),
    ])
    func jsonFastPathSeesEveryEscape(_ text: String, _ escaped: Bool) throws {
        #expect(JSONWriter.needsEscaping(text) == escaped)
        let json = JSONRendering.render(Self.digest(headline: text, sentence: "S.", file: "f.txt"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["stories"] as? [[String: Any]])?.first?["headline"] as? String == text)
    }

    @Test func markdownLeavesPlainTextAsItIs() {
        let plain = "Ferries resume \u{2014} \u{201C}slowly\u{201D}, caf\u{E9} owners say \u{1F30A}"
        #expect(MarkdownRendering.escape(plain) == plain)
        #expect(MarkdownRendering.escape("a_b\u{2014}c") == "a\\_b\u{2014}c")
        // "\r\n" is a single Character: it too must become one space, not stay a line break.
        #expect(MarkdownRendering.escape("two\r\nlines") == "two lines")
        #expect(MarkdownRendering.code("a\r\nb`c") == "a b'c")
    }

    @Test(arguments: [
        ("UPDATE 2-Bridge closed after barge strike", "Bridge closed after barge strike"),
        ("BREAKING: Bridge closed after barge strike | Bay Times", "Bridge closed after barge strike"),
        ("Bridge closed after barge strike - as it happened", "Bridge closed after barge strike"),
        (
            "Bridge closed - the city weighs its options for the long winter",
            "Bridge closed - the city weighs its options for the long winter"
        ),
    ])
    func headlineCleaning(_ raw: String, _ clean: String) {
        #expect(Headline.clean(raw) == clean)
    }
}
