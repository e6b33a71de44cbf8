import Testing

@testable import NewsDigest

/// A continuing story's brief prefers what is new since the day before over what that day's
/// brief already said, and still has a brief when nothing is new.
@Suite struct NewSinceYesterdayTests {
    static let articles = [
        RawArticle(
            title: "Port Elsmere reopens berth 7",
            text: """
                A container crane collapsed at Port Elsmere on Monday and injured four dock workers at berth 7.
                The Marine Safety Board said on Tuesday that its inspectors had found a cracked weld in the boom of the crane.
                Harbour master Ilse Brandt said the cargo delayed at berth 7 would be cleared by the weekend.
                """, source: "a"),
        RawArticle(
            title: "Crane weld cracked, inspectors say",
            text: """
                A container crane collapsed at Port Elsmere on Monday and injured four dock workers at berth 7.
                Inspectors from the Marine Safety Board found a cracked weld in the boom of the crane, the board said on Tuesday.
                """, source: "b"),
    ].enumerated().map { ArticleAnalyzer.analyze($0.element, file: "\($0.offset).txt") }

    static func terms(of text: String) -> [UInt64] {
        articles.flatMap(\.sentences).first { $0.text == text }!.terms
    }

    static let yesterday =
        "A container crane collapsed at Port Elsmere on Monday and injured four dock workers at berth 7."

    @Test func whatWasSaidYesterdayGivesWayToWhatIsNew() {
        let summarizer = Summarizer()
        let plain = summarizer.summarize(Self.articles, budget: .sentences(1))
        #expect(plain.map(\.text) == [Self.yesterday], "the test needs yesterday's sentence to lead")
        let brief = summarizer.summarize(
            Self.articles, budget: .sentences(1), said: [Self.terms(of: Self.yesterday)])
        #expect(brief.count == 1)
        #expect(brief.first?.text != Self.yesterday)
    }

    @Test func aStoryWithNothingNewStillHasABrief() {
        let everything = Self.articles.flatMap(\.sentences).map(\.terms)
        let brief = Summarizer().summarize(Self.articles, budget: .sentences(2), said: everything)
        #expect(brief.count == 2)
    }
}
