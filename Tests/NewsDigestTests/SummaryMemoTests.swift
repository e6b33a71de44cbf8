import Testing

@testable import NewsDigest

/// The daemon rebuilds a growing day with the last build's summaries in hand; what it writes
/// must be what a fresh build of the same day writes, at every step.
@Suite struct SummaryMemoTests {
    static let day = "2026-03-02"
    static let disclaimer = "The Harbour Courier could not confirm those accounts independently."

    static func article(_ source: String, _ title: String, _ text: String) -> ParsedArticle {
        ArticleAnalyzer.analyze(RawArticle(title: title, text: text, source: source), file: source + "/" + title)
    }

    /// One story the Courier alone reports, its disclaimer a line of its own, so the disclaimer is in its
    /// summary until the Courier has printed that line under three articles.
    static let ferry = article(
        "courier", "Varno ferry strike ends after two days",
        "Ferry crews on the Varno coast ended their strike on Monday after the operator agreed to a pay rise. "
            + "Services to the islands restart on Tuesday morning with a full timetable.\n\n" + disclaimer)
    static let unrelated = [
        article(
            "post", "Kessel council approves new tram line",
            "The Kessel city council approved a tram line to the university on Monday. Construction starts next spring and costs 210 million."
        ),
        article(
            "courier", "Tesk library reopens after flood repairs",
            "The Tesk central library reopened on Friday after eight months of repairs following the spring flood. "
                + "Its children's wing doubled in size.\n\n" + disclaimer),
        article(
            "courier", "Dorn marathon draws record field",
            "A record 9,400 runners started the Dorn marathon on Sunday under clear skies. "
                + "The course was changed to avoid the city centre road works.\n\n" + disclaimer),
        article(
            "post", "Kessel zoo welcomes two snow leopard cubs",
            "Two snow leopard cubs were born at the Kessel zoo last month, keepers said on Monday. They go on show in June."
        ),
    ]

    static func summary(of file: String, in digest: Digest) -> [String] {
        digest.stories.first { $0.articles.contains { $0.file == file } }?.summary.map(\.text) ?? []
    }

    @Test func incrementalBuildsEqualFreshOnesAtEveryStep() throws {
        var days = MemoryDays()
        var memo = DigestBuilder.SummaryMemo()
        let builder = DigestBuilder()
        var disclaimerQuoted: [Bool] = []
        var reused: [Int] = []
        for a in [Self.ferry] + Self.unrelated {
            days.commit(a, day: Self.day)
            let incremental = days.digest(Self.day, builder: builder, memo: &memo)
            let fresh = days.digest(Self.day, builder: builder)
            #expect(JSONRendering.render(incremental) == JSONRendering.render(fresh), "after \(a.file)")
            disclaimerQuoted.append(Self.summary(of: Self.ferry.file, in: incremental).contains(Self.disclaimer))
            reused.append(memo.reused)
        }
        // The case the memo's key is for: the ferry story gained no article, yet its summary
        // changed when the disclaimer became the Courier's furniture (third Courier article).
        #expect(disclaimerQuoted == [true, true, true, false, false])
        // Stories that did not change kept their summaries: each build after the first reused
        // every story but the new one, except where the Courier's furniture changed.
        #expect(reused == [0, 1, 2, 1, 4])
    }

    @Test func anotherDayOrBudgetStartsAfresh() throws {
        var days = MemoryDays()
        days.commit(Self.ferry, day: Self.day)
        days.commit(Self.unrelated[0], day: "2026-03-03")
        var memo = DigestBuilder.SummaryMemo()
        _ = days.digest(Self.day, builder: DigestBuilder(), memo: &memo)
        let other = days.digest("2026-03-03", builder: DigestBuilder(), memo: &memo)
        #expect(memo.reused == 0)
        #expect(other.stories.first?.summary.first?.source == "post")
        let short = DigestBuilder(budget: .sentences(1))
        let again = days.digest("2026-03-03", builder: short, memo: &memo)
        #expect(memo.reused == 0)
        #expect(again == days.digest("2026-03-03", builder: short))
    }
}
