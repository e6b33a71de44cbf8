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
}
