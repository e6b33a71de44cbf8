import Testing

@testable import NewsDigest

/// Sentences fit to stand alone in a brief: quotations made whole or set aside, and the kinds
/// of sentence that never stand alone. Texts are invented for these tests.
@Suite struct QuotabilityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let what: String
        let line: String
        /// The sentences made of the line, each with whether it may be quoted.
        let expected: [(String, Bool)]
        var testDescription: String { what }
    }

    @Test(arguments: [
        Case(
            what: "a quotation over three sentences becomes one",
            line:
                #"The mayor was blunt. "We warned them. Nobody listened. Now the river is in the town hall," she said. Repairs start Monday."#,
            expected: [
                ("The mayor was blunt.", true),
                (#""We warned them. Nobody listened. Now the river is in the town hall," she said."#, true),
                ("Repairs start Monday.", true),
            ]),
        Case(
            what: "a quotation that never closes in its paragraph is not quoted",
            line:
                #"Her statement was short. "It is with sadness that we confirm the death of our friend. He will be missed."#,
            expected: [
                ("Her statement was short.", true),
                (#""It is with sadness that we confirm the death of our friend."#, false),
                ("He will be missed.", false),
            ]),
        Case(
            what: "a sentence begun inside a quotation is not quoted",
            line: #"It means this for all of us," she said. The vote is on Friday."#,
            expected: [(#"It means this for all of us," she said."#, false), ("The vote is on Friday.", true)]),
        Case(
            what: "a quotation inside a quotation (single marks) is one quotation",
            line: #""He told me 'we are closing the yard' and walked out," the welder said."#,
            expected: [(#""He told me 'we are closing the yard' and walked out," the welder said."#, true)]),
        Case(
            what: "'' used as a closing mark",
            line: #"Mark Felt, known as "Deep Throat, '' passed files to reporters. He died at 95."#,
            expected: [
                (#"Mark Felt, known as "Deep Throat, '' passed files to reporters."#, true),
                ("He died at 95.", true),
            ]),
        Case(
            what: "apostrophes are not quotation marks",
            line: "The port's manager said the crane's weld had cracked. It's closed until Friday.",
            expected: [
                ("The port's manager said the crane's weld had cracked.", true), ("It's closed until Friday.", true),
            ]),
        Case(
            what: "a quotation too long for a brief is not quoted whole",
            line: "\""
                + Array(repeating: "We will rebuild every house on this street.", count: 9).joined(separator: " ")
                + "\" he said.",
            expected: Array(repeating: ("We will rebuild every house on this street.", false), count: 9).enumerated()
                .map { i, e in
                    (i == 0 ? "\"" + e.0 : (i == 8 ? e.0 + "\" he said." : e.0), false)
                }),
    ])
    func quotations(_ c: Case) {
        let pieces = SentenceSplitter.split(c.line)
        let got = Quotability.quotations(pieces)
        #expect(got.map { pieces[$0.range].joined(separator: " ") } == c.expected.map(\.0), "\(c.what)")
        #expect(got.map(\.quotable) == c.expected.map(\.1), "\(c.what)")
    }

    @Test(arguments: [
        // Teasers cut by the page, and an ellipsis the writer put mid-sentence.
        ("The council will vote on the plan, which store owners, who have...", true),
        ("Shares fell in early trade \u{2026}", true),
        ("He paused \u{2026} and then said the plant would close in March.", false),
        ("The budget ... was passed late on Thursday by a single vote.", false),
        // Photo captions, and sentences that only look like one.
        ("FILE - In this May 24, 2016, file photo, the senator speaks on Capitol Hill.", true),
        ("In this Saturday, July 1, 2017, photo, people line up outside the stadium.", true),
        ("In this undated photo provided by the family, the boy stands by his bicycle.", true),
        ("A photo from the 1998 excavation shows the wall before it was moved.", true),
        ("Rescue teams search the rubble on Tuesday. (AP Photo/Jane Doe)", true),
        ("In this year's election, photo identification was required at every polling station.", false),
        ("A photo finish decided the race after three hours on the course.", false),
        // Credits of a film or a show.
        ("Produced by Rob Ward, Sam Hale and Kim Osei.", true),
        ("With: Jane Levy, Dylan Minnette and Stephen Lang.", true),
        ("Producers said the film would open in March in forty cities.", false),
        // A headline glued to its deck.
        ("The deal was signed, said one law professor. | AP Photo Trump's plea deal was filed.", true),
    ])
    func unfitKinds(_ sentence: String, _ unfit: Bool) {
        #expect(Quotability.isUnfit(sentence) == unfit, "\(sentence)")
    }

    @Test func anUnfitSentenceStillCountsForTheTopicButIsNeverACandidate() {
        let article = ArticleAnalyzer.analyze(
            RawArticle(
                title: "Kessel strike goes on",
                text:
                    #"Drivers in Kessel stayed out for a second day on Wednesday. "We will not go back for less. The city knows it," the union leader said. It means the city must pay," she added."#,
                source: "x"), file: "a.txt")
        let texts = article.sentences.map(\.text)
        #expect(texts.contains(#""We will not go back for less. The city knows it," the union leader said."#))
        let begunInside = article.sentences.first { $0.text.hasPrefix("It means") }
        #expect(begunInside?.isCandidate == false)
        #expect(begunInside?.terms.isEmpty == false)
    }
}
