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
}
