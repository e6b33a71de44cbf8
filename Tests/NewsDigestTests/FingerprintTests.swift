import Testing

@testable import NewsDigest

/// Exact keys, shingles and near-duplicate matching on small texts of our own.
@Suite struct FingerprintTests {
    /// The early-stopping containment keeps exactly the pairs the full count keeps, with the
    /// same score, also at the boundary (a required score that is exactly some count's).
    @Test func containmentWithAThresholdAgreesWithTheFullCount() {
        var x: UInt64 = 3
        func next() -> UInt64 {
            x = StableHash.mix(x)
            return x
        }
        for _ in 0..<400 {
            let shared = (0..<Int(next() % 40)).map { _ in next() % 1000 }
            let a = Array(Set(shared + (0..<Int(next() % 40)).map { _ in next() % 1000 })).sorted()
            let b = Array(Set(shared + (0..<Int(next() % 40)).map { _ in next() % 1000 })).sorted()
            let full = MinHash.containment(a, b)
            let smaller = max(1, min(a.count, b.count))
            var thresholds: [Double] = [0, 0.3, 0.7, 0.71, 1, 2]
            for k in 0...smaller { thresholds.append(Double(k) / Double(smaller)) }
            for required in thresholds {
                let early = MinHash.containment(a, b, atLeast: required)
                if full >= required {
                    #expect(early == full, "\(a.count) \(b.count) \(required)")
                } else {
                    #expect(early == nil, "\(a.count) \(b.count) \(required)")
                }
            }
        }
    }

    static let base = """
        Flood waters forced the evacuation of four villages along the Marn river on Thursday, \
        officials said. Rescue crews used boats to reach residents trapped on rooftops in Ostra, \
        where the water rose two meters overnight. The regional governor declared an emergency \
        and asked the army for help with sandbags and pumps. Forecasters expect more rain over \
        the weekend, and schools in the district will stay closed until Monday.
        """

    static func parse(_ text: String, title: String = "Floods hit Marn valley", file: String = "f.txt") -> ParsedArticle
    {
        ArticleAnalyzer.analyze(RawArticle(title: title, text: text, source: "test"), file: file)
    }

    struct Variant: Sendable, CustomTestStringConvertible {
        let name: String
        let title: String
        let text: String
        let isCopy: Bool
        var testDescription: String { name }
    }

    static let variants: [Variant] = [
        Variant(name: "new headline", title: "UPDATE 2-Marn floods: villages evacuated", text: base, isCopy: true),
        Variant(
            name: "truncated to its first half", title: "Floods hit Marn valley",
            text: String(base.prefix(base.count / 2)), isCopy: true),
        Variant(
            name: "furniture added", title: "Floods hit Marn valley",
            text: "By Jane Roe, Valley Wire\n" + base + "\nShare this article\nSign up for our daily newsletter.",
            isCopy: true),
        Variant(
            name: "small copy edits", title: "Floods hit Marn valley",
            text: base.replacingOccurrences(of: "said", with: "says").replacingOccurrences(
                of: "two meters", with: "2 meters"),
            isCopy: true),
        Variant(
            name: "same event, other words", title: "Army helps Ostra after river bursts its banks",
            text: """
                Soldiers filled sandbags in Ostra on Friday after the Marn burst its banks and \
                flooded hundreds of homes. Residents described being woken by water in their \
                kitchens. The governor said damage would run to millions and promised aid to \
                farmers whose fields were lost.
                """, isCopy: false),
        Variant(
            name: "unrelated", title: "Chess club wins national title",
            text: """
                The Ostra chess club won the national team championship on Sunday, beating the \
                defending champions in the final round. Its youngest player, aged twelve, won \
                all seven of her games.
                """, isCopy: false),
    ]

    @Test(arguments: variants)
    func nearDuplicates(_ v: Variant) {
        var days = MemoryDays()
        days.commit(Self.parse(Self.base, file: "a.txt"), day: "2026-01-01")
        let decision = days.commit(Self.parse(v.text, title: v.title, file: "b.txt"), day: "2026-01-01")
        if case .nearDuplicate = decision {
            #expect(v.isCopy, "\(v.name) was taken for a copy")
        } else {
            #expect(!v.isCopy, "\(v.name) was not recognised as a copy")
        }
    }

    @Test func exactKeyIgnoresFormButNotWords() {
        let a = Self.parse(Self.base)
        let reformatted = Self.parse(
            Self.base.replacingOccurrences(of: " ", with: "  ").replacingOccurrences(of: ". ", with: ".\r\n"))
        let curly = Self.parse(Self.base.replacingOccurrences(of: "said", with: "said\u{00A0}"))
        let edited = Self.parse(Self.base.replacingOccurrences(of: "four villages", with: "five villages"))
        let retitled = Self.parse(Self.base, title: "Another title")
        #expect(a.exactKey == reformatted.exactKey)
        #expect(a.exactKey == curly.exactKey)
        #expect(a.exactKey != edited.exactKey)
        #expect(a.exactKey != retitled.exactKey)
    }

    @Test func containmentSeesTruncationWhereJaccardDoesNot() {
        let full = Self.parse(Self.base).shingles
        let half = Self.parse(String(Self.base.prefix(Self.base.count / 2))).shingles
        let shared = MinHash.intersectionCount(full, half)
        let jaccard = Double(shared) / Double(Set(full).union(half).count)
        #expect(MinHash.containment(full, half) > 0.9)
        #expect(jaccard < 0.6)
    }

    @Test func signaturesAgreeInProportionToOverlap() {
        let a = MinHash.signature(of: Self.parse(Self.base).shingles)
        let same = MinHash.signature(of: Self.parse(Self.base).shingles)
        let other = MinHash.signature(of: Self.parse(Self.variants.last!.text).shingles)
        #expect(a == same)
        let agreeing = zip(a, other).filter { $0 == $1 }.count
        #expect(agreeing < MinHash.size / 10)
    }

    @Test func hashesDoNotDependOnTheProcess() {
        // Swift's Hasher would differ between two processes; StableHash must not even differ
        // between two call sites in one, and must separate near-identical inputs.
        #expect(StableHash.string("newsdigest") == StableHash.bytes(Array("newsdigest".utf8)))
        #expect(StableHash.string("newsdigest") != StableHash.string("newsdigesT"))
        #expect(StableHash.combine(1, 2) != StableHash.combine(2, 1))
        #expect(StableHash.hex(0xabc, digits: 6) == "000abc")
    }

    @Test func shortTextsNeedAFullMatch() {
        var days = MemoryDays()
        days.commit(Self.parse(Self.base, file: "a.txt"), day: "2026-01-01")
        // Four words that also stand in the long text are not a copy of it.
        let decision = days.commit(
            Self.parse("officials said. Rescue crews", title: "", file: "b.txt"), day: "2026-01-01")
        if case .nearDuplicate = decision { Issue.record("a short fragment was taken for a copy") }
    }
}
