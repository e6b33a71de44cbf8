import Testing

@testable import NewsDigest

@Suite struct SentenceSplitterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let sentences: [String]
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(
            text: "The bridge closed. Traffic moved to the ferry.",
            sentences: ["The bridge closed.", "Traffic moved to the ferry."]),
        Case(text: "U.S. officials met on Dec. 8 in Geneva.", sentences: ["U.S. officials met on Dec. 8 in Geneva."]),
        Case(
            text: "Gen. Mark Ortiz spoke first. He was brief.",
            sentences: ["Gen. Mark Ortiz spoke first.", "He was brief."]),
        Case(text: "Mr. and Mrs. Lind left early.", sentences: ["Mr. and Mrs. Lind left early."]),
        Case(text: "The author J. K. Marlow signed copies.", sentences: ["The author J. K. Marlow signed copies."]),
        Case(
            text: "The quake measured 6.1 on the scale. Buildings swayed.",
            sentences: ["The quake measured 6.1 on the scale.", "Buildings swayed."]),
        Case(text: "It cost $1.5 million. Nobody objected.", sentences: ["It cost $1.5 million.", "Nobody objected."]),
        Case(text: "\"We are ready.\" The mayor smiled.", sentences: ["\"We are ready.\"", "The mayor smiled."]),
        Case(text: "\"Stop!\" she shouted. Nobody did.", sentences: ["\"Stop!\" she shouted.", "Nobody did."]),
        Case(
            text: "Troops stayed in the U.S. The rest went home.",
            sentences: ["Troops stayed in the U.S.", "The rest went home."]),
        Case(text: "Is it over? Nobody knows.", sentences: ["Is it over?", "Nobody knows."]),
        Case(text: "Wait... and see.", sentences: ["Wait... and see."]),
        Case(text: "Apple Inc. said sales rose.", sentences: ["Apple Inc. said sales rose."]),
        Case(
            text: "Shares of Acme Corp. fell. The index rose.",
            sentences: ["Shares of Acme Corp. fell.", "The index rose."]),
        Case(
            text: "The rebels (led by HTS.) advanced. Damascus fell.",
            sentences: ["The rebels (led by HTS.) advanced.", "Damascus fell."]),
        Case(text: "No. 10 said nothing.", sentences: ["No. 10 said nothing."]),
        Case(text: "A headline without a period", sentences: ["A headline without a period"]),
        Case(
            text: "Officials said so, e.g. the minister. Others disagreed.",
            sentences: ["Officials said so, e.g. the minister.", "Others disagreed."]),
        Case(
            text: "The vote was 52-48. 300 people watched.", sentences: ["The vote was 52-48.", "300 people watched."]),
        Case(text: "", sentences: []),
    ]

    @Test(arguments: cases)
    func splits(_ c: Case) {
        #expect(SentenceSplitter.split(c.text) == c.sentences)
    }

    @Test func linesAreNeverJoined() {
        #expect(
            SentenceSplitter.splitText("First line ends here\nSecond line. Third one.") == [
                "First line ends here", "Second line.", "Third one.",
            ])
    }

    @Test func textWithoutSentenceEndsIsCutAtWordBoundaries() {
        let words = (0..<200).map { "w\($0)" }
        let pieces = SentenceSplitter.split(words.joined(separator: "  "))
        #expect(pieces.map { $0.split(separator: " ").count } == [80, 80, 40])
        #expect(pieces.joined(separator: " ").split(separator: " ").map(String.init) == words)
    }

    @Test func aSentenceOfExactlyTheLimitStaysWhole() {
        let text = (0..<SentenceSplitter.maxWords).map { "w\($0)" }.joined(separator: " ") + ". Next one."
        #expect(SentenceSplitter.split(text).count == 2)
    }
}
