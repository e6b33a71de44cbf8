import NewsDigest
import Testing

/// A publication day is believed only up to the day after the day an article is counted on.
@Suite struct PublicationDayTests {
    // Two reports of one event in different words: one story, never near duplicates.
    static let first = """
        Flood waters rose along the Arno river in Florence on Monday, forcing the evacuation of \
        two thousand residents from low districts near the Ponte Vecchio.
        Mayor Lucia Bartoli said pumps from Pisa and Siena were on their way to the city.
        """
    static let second = """
        Lucia Bartoli, the mayor of Florence, ordered two thousand people out of their homes by \
        the Arno after the river burst its banks near the Ponte Vecchio.
        Pumps sent from Pisa and Siena arrived overnight, officials in Florence said, and the \
        water had begun to fall by Tuesday morning.
        """

    static func article(_ file: String, _ title: String, _ text: String, date: String?) -> ParsedArticle {
        ArticleAnalyzer.analyze(RawArticle(title: title, text: text, source: file, date: date), file: file)
    }

    /// The two reports, the second dated `date`, counted on 2026-03-01: one story or two?
    static func stories(secondDated date: String) -> Int {
        var days = MemoryDays()
        days.commit(
            article("a.txt", "Florence evacuates districts as Arno floods", first, date: "2026-03-01"),
            day: "2026-03-01")
        days.commit(
            article("b.txt", "Arno flood forces thousands out of Florence homes", second, date: date), day: "2026-03-01"
        )
        return days.digest("2026-03-01").stories.count
    }

    @Test func aDateFarInTheFutureIsNotBelievedAndCannotSplitAStory() {
        #expect(Self.stories(secondDated: "2027-04-05") == 1)
    }

    @Test func aBelievableDateStillKeepsDistantDaysApart() {
        // The same check the gate makes for believable days: a year apart is two events.
        #expect(Self.stories(secondDated: "2025-01-20") == 2)
        #expect(Self.stories(secondDated: "2026-03-02") == 1, "tomorrow is believed, and close enough")
    }

    @Test(arguments: [
        ("2026-03-01", true), ("2026-03-02", true), ("2026-03-03", false), ("2031-01-01", false),
        ("1999-12-31", true),
    ])
    func believableUpToTheDayAfter(_ published: String, _ believed: Bool) {
        #expect(ParsedArticle.believable(published: DayNumber.parse(published)!, countedOn: "2026-03-01") == believed)
        let a = Self.article("c.txt", "Arno floods Florence", Self.first, date: published)
        #expect((a.believingPublication(on: "2026-03-01").publishedDay != nil) == believed)
    }
}
