import Testing

@testable import NewsDigest

/// Story grouping on small hand-written articles: two events, each reported by several outlets
/// in their own words, plus one unrelated piece.
@Suite struct StoryIndexTests {
    static func article(_ title: String, _ text: String, date: String? = nil) -> ParsedArticle {
        ArticleAnalyzer.analyze(RawArticle(title: title, text: text, source: "test", date: date), file: title)
    }

    static let quake = quakeTexts.map { article($0.title, $0.text) }
    static let quakeTexts: [(title: String, text: String)] = [
        (
            "Earthquake shakes Varno coast, ferries halted",
            "A magnitude 6.1 earthquake struck off the Varno coast early on Tuesday, halting ferries and cutting power to the harbour district. Coastguard crews checked the Varno piers for damage. No deaths were reported."
        ),
        (
            "Varno earthquake: harbour without power after 6.1 quake",
            "Ferries stayed in port after the earthquake hit the Varno coast on Tuesday. The quake, measured at magnitude 6.1, left the harbour district without power for hours, the coastguard said."
        ),
        (
            "Ferries resume after Varno coast quake",
            "Ferry services on the Varno coast resumed on Tuesday evening, hours after a 6.1 magnitude earthquake. Power returned to most of the harbour district, and the coastguard found no serious damage to the piers."
        ),
    ]
    static let election = [
        article(
            "Lindholm wins Kessel mayoral election by narrow margin",
            "Anna Lindholm was elected mayor of Kessel on Sunday with 51 percent of the vote, defeating the incumbent after a campaign about housing and bus fares. Turnout was 64 percent."
        ),
        article(
            "Kessel elects Lindholm mayor after housing campaign",
            "Voters in Kessel chose Anna Lindholm as their new mayor, giving her 51 percent in Sunday's election. Lindholm promised cheaper bus fares and more housing during the campaign."
        ),
    ]
    static let unrelated = article(
        "Recipe: slow-roasted tomatoes with thyme",
        "Halve the tomatoes, season them with salt and thyme, and roast them for three hours at a low heat until they wrinkle. They keep for a week in olive oil."
    )

    static func assignAll(_ articles: [ParsedArticle], into index: inout StoryIndex) -> [Int] {
        articles.enumerated().map { index.assign($0.element, index: $0.offset) }
    }

    @Test func reportsOfOneEventJoinOneStoryAndOtherEventsStayApart() {
        var index = StoryIndex()
        let all = [Self.quake[0], Self.election[0], Self.quake[1], Self.unrelated, Self.election[1], Self.quake[2]]
        let story = Self.assignAll(all, into: &index)
        #expect(story[0] == story[2] && story[2] == story[5], "the three quake reports: \(story)")
        #expect(story[1] == story[4], "the two election reports: \(story)")
        #expect(Set([story[0], story[1], story[3]]).count == 3, "quake, election and recipe are apart: \(story)")
        #expect(index.stories.count == 3)
        #expect(index.stories[story[0]].members == [0, 2, 5])
    }

    @Test func sameArticlesInTheSameOrderGiveTheSameStories() {
        let all = Self.quake + Self.election + [Self.unrelated]
        var first = StoryIndex()
        var second = StoryIndex()
        #expect(Self.assignAll(all, into: &first) == Self.assignAll(all, into: &second))
        #expect(first.stories.map(\.members) == second.stories.map(\.members))
    }

    @Test func theDayGateKeepsReportsDaysApartInSeparateStories() {
        let early = Self.article(Self.quakeTexts[0].title, Self.quakeTexts[0].text, date: "2026-03-01")
        let near = Self.article(Self.quakeTexts[1].title, Self.quakeTexts[1].text, date: "2026-03-03")
        let late = Self.article(Self.quakeTexts[2].title, Self.quakeTexts[2].text, date: "2026-03-20")
        var index = StoryIndex(dayGate: 3)
        let story = Self.assignAll([early, near, late], into: &index)
        #expect(story[0] == story[1], "two days apart is within the gate")
        #expect(story[2] != story[0], "nineteen days apart is not")
    }

    @Test func aHighThresholdMakesEveryArticleItsOwnStory() {
        var index = StoryIndex(threshold: 1.01)
        let story = Self.assignAll(Self.quake, into: &index)
        #expect(story == [0, 1, 2])
    }

    @Test func anAttachedCopyJoinsTheStoryWithoutStartingOne() {
        var index = StoryIndex()
        let story = Self.assignAll(Self.election, into: &index)
        index.attach(index: 2, toStory: story[0])
        #expect(index.stories.count == 1)
        #expect(index.stories[story[0]].members == [0, 1, 2])
    }

    /// The candidates kept for full scoring are the best-supported, the lower index first among
    /// equals: the same set a full sort gives, whatever the order they were reached in.
    @Test func theBestSupportedCandidatesAreTheOnesAFullSortKeeps() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let n = Int.random(in: 0...300, using: &rng)
            // Few distinct values, so ties are common.
            let support = (0..<n).map { _ in Float(Int.random(in: 1...8, using: &rng)) / 4 }
            let stories = (0..<Int32(n)).shuffled(using: &rng)
            let k = [1, 5, 12, 40][round % 4]
            let sorted = stories.sorted {
                let (a, b) = (support[Int($0)], support[Int($1)])
                return a > b || (a == b && $0 < $1)
            }
            let best = StoryIndex.best(k, of: stories, by: support)
            #expect(best.sorted() == Array(sorted.prefix(k)).sorted(), "n \(n), k \(k)")
        }
    }

    /// A story of `members` restored members, each of `width` terms no other member has, and an
    /// article with the same terms as member `copying`: it is like that member and little like
    /// the centroid, so it joins the story only when that member is among the latest ones
    /// (the window), found through its places in the centroid.
    static func joinsWhenCopying(_ copying: Int, of members: Int, width: Int = 100) -> Bool {
        func terms(_ member: Int) -> [TermWeight] {
            (0..<width).map { TermWeight(term: UInt64(member * 100_000 + $0 + 1), weight: 1) }
        }
        var index = StoryIndex(threshold: 0.5)
        for m in 0..<members { index.restore(terms: terms(m), publishedDay: nil, index: m, story: 0) }
        return index.assign(terms: terms(copying), publishedDay: nil, index: members) == 0
    }

    @Test func theNearestMemberIsFoundAmongTheLatestOnly() {
        #expect(Self.joinsWhenCopying(29, of: 30))
        #expect(Self.joinsWhenCopying(30 - StoryIndex.recentWindow, of: 30), "the oldest in the window")
        #expect(!Self.joinsWhenCopying(29 - StoryIndex.recentWindow, of: 30), "out of the window")
        #expect(!Self.joinsWhenCopying(0, of: 30))
    }

    /// Past 65,536 terms a centroid's places no longer fit the window's 16 bits.
    @Test func aCentroidPast16BitsOfTermsStillFindsItsLatestMembers() {
        #expect(Self.joinsWhenCopying(99, of: 100, width: 1000))
        #expect(Self.joinsWhenCopying(100 - StoryIndex.recentWindow, of: 100, width: 1000))
        #expect(!Self.joinsWhenCopying(99 - StoryIndex.recentWindow, of: 100, width: 1000))
        // The 66th member takes the centroid past 65,536 terms: members 56–65 were kept in
        // 16 bits and widened with the window.
        #expect(Self.joinsWhenCopying(60, of: 80, width: 1000))
    }
}
