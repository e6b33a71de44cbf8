import Testing

@testable import NewsDigest

/// A story's headline is the title of its most central article, judged by the story alone.
@Suite struct HeadlineTests {
    @Test func theArticleTheOthersAgreeWithIsMostCentral() {
        let quake = StoryIndexTests.quake
        let stray = StoryIndexTests.election[0]
        let scores = DigestBuilder.centralities(quake + [stray])
        #expect(scores.count == 4)
        #expect(scores[..<3].allSatisfy { $0 > scores[3] + 0.1 }, "\(scores)")
        // Leaving an article out of the centroid it is compared with: one article alone has no
        // one to agree with.
        #expect(DigestBuilder.centralities([stray]) == [0])
    }

    @Test func otherStoriesDoNotMoveAStorysHeadline() throws {
        var days = MemoryDays()
        let day = "2026-03-04"
        for a in StoryIndexTests.quake { days.commit(a, day: day) }
        let before = days.digest(day)
        for a in StoryIndexTests.election { days.commit(a, day: day) }
        let after = days.digest(day)
        let quakeFile = StoryIndexTests.quake[0].file
        let headline = { (d: Digest) in d.stories.first { $0.articles.contains { $0.file == quakeFile } }?.headline }
        #expect(headline(before) != nil)
        #expect(headline(before) == headline(after))
        #expect(after.stories.count > before.stories.count)
    }

    /// Without titles: a whole short sentence of what the story is about, not a long one cut.
    @Test func untitledStoriesGetAWholeShortCentralSentence() {
        let texts = [
            """
            Dock workers at Port Elsmere walked out on Monday after the crane collapse injured four of their colleagues at berth 7, in a strike the union called indefinite.
            Port Elsmere dock workers strike after crane collapse.
            Subscribe to our newsletter for more stories.
            """,
            """
            The strike by Port Elsmere dock workers over safety after the crane collapse went into its second day on Tuesday with no talks planned.
            """,
        ]
        let articles = texts.enumerated().map {
            ArticleAnalyzer.analyze(
                RawArticle(title: "", text: $0.element, source: "s\($0.offset)"), file: "\($0.offset).txt")
        }
        let headline = DigestBuilder().pickHeadline(articles, articles, summary: [])
        #expect(headline == "Port Elsmere dock workers strike after crane collapse.")
    }

    @Test(arguments: [
        // Short enough: whole.
        ("The crane at berth 7 collapsed on Monday.", "The crane at berth 7 collapsed on Monday."),
        // Cut at its last clause boundary within sixteen words.
        (
            "Port Elsmere reopened berth 7 on Tuesday, a day after a container crane collapsed and injured four dock workers there.",
            "Port Elsmere reopened berth 7 on Tuesday"
        ),
        // An opening phrase is not a headline: cut at a word, marked.
        (
            "When the crane at berth 7 collapsed on Monday afternoon, four dock workers who stood below it were hurt badly.",
            "When the crane at berth 7 collapsed on Monday afternoon, four dock workers who ..."
        ),
    ])
    func sentencesCutToAHeadline(_ sentence: String, _ headline: String) {
        #expect(Headline.fromSentence(sentence) == headline)
    }
}
