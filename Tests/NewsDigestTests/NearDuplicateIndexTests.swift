import Testing

@testable import NewsDigest

/// The band table against a plain reference (a dictionary from band key to the articles that
/// hold it, searched by brute force), on a day large enough to need several tables.
@Suite struct NearDuplicateIndexTests {
    /// A day of generated texts: most are new, every seventh repeats an earlier one with a few
    /// words changed, so matches are found in old tables as well as the newest.
    static func day(_ n: Int) -> [ParsedArticle] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let vocabulary = (0..<4000).map { "w\(String($0, radix: 36))x" }
        var texts: [[String]] = []
        var articles: [ParsedArticle] = []
        for i in 0..<n {
            var words: [String]
            if i > 0 && i % 7 == 0 {
                words = texts[next(texts.count)]
                for _ in 0..<4 { words[next(words.count)] = vocabulary[next(vocabulary.count)] }
            } else {
                words = (0..<90).map { _ in vocabulary[next(vocabulary.count)] }
            }
            texts.append(words)
            let text = stride(from: 0, to: words.count, by: 15).map {
                words[$0..<min($0 + 15, words.count)].joined(separator: " ") + "."
            }.joined(separator: " ")
            articles.append(
                ArticleAnalyzer.analyze(RawArticle(title: "t\(i)", text: text, source: "s"), file: "\(i).txt"))
        }
        return articles
    }

    static let articles = day(1500)

    /// What the index must answer: among earlier articles sharing a band key, the one holding
    /// the most of the new article's shingles, at least 70 % (these texts are long), the
    /// earlier first among equals.
    static func reference(_ articles: [ParsedArticle]) -> [Int?] {
        var byKey: [UInt32: [Int]] = [:]
        var answers: [Int?] = []
        for (i, a) in articles.enumerated() {
            var candidates = Set<Int>()
            for band in a.bandKeys { candidates.formUnion(byKey[NearDuplicateIndex.key(band)] ?? []) }
            var best: (index: Int, score: Double)?
            for c in candidates.sorted() {
                let score = MinHash.containment(a.shingles, articles[c].shingles)
                if score >= 0.7 && (best == nil || score > best!.score) { best = (c, score) }
            }
            answers.append(best?.index)
            for band in a.bandKeys { byKey[NearDuplicateIndex.key(band), default: []].append(i) }
        }
        return answers
    }

    static func answers(_ articles: [ParsedArticle], reserve: Bool) -> (answers: [Int?], tables: Int, keys: Int) {
        var index = NearDuplicateIndex()
        if reserve { index.reserve(keys: articles.reduce(0) { $0 + $1.bandKeys.count }) }
        var answers: [Int?] = []
        for (i, a) in articles.enumerated() {
            answers.append(index.match(a) { articles[$0].shingles })
            index.insert(a.bandKeys, at: i)
        }
        return (answers, index.tableCount, index.keyCount)
    }

    @Test func aGrowingDayFindsWhatTheReferenceFinds() {
        let expected = Self.reference(Self.articles)
        #expect(expected.compactMap { $0 }.count >= Self.articles.count / 8, "the day repeats itself")
        let grown = Self.answers(Self.articles, reserve: false)
        #expect(grown.tables >= 3, "the day outgrew its first table")
        #expect(grown.keys == Self.articles.reduce(0) { $0 + $1.bandKeys.count })
        #expect(Self.differences(grown.answers, expected) == [])
    }

    /// The first few articles answered otherwise than the reference (a short failure message).
    static func differences(_ got: [Int?], _ expected: [Int?]) -> [String] {
        zip(got, expected).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(5).map {
            "article \($0.offset): \($0.element.0.map(String.init) ?? "none"), not \($0.element.1.map(String.init) ?? "none")"
        }
    }

    @Test func aReservedDayIsOneTableWithTheSameAnswers() {
        let reserved = Self.answers(Self.articles, reserve: true)
        #expect(reserved.tables == 1)
        #expect(Self.differences(reserved.answers, Self.reference(Self.articles)) == [])
    }
}
