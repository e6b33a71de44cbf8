import Testing

@testable import NewsDigest

/// The rule that links a story to the stories of earlier days, on hand-made vectors.
@Suite struct ThreadLinkerTests {
    struct History: StoryHistory {
        var traces: [StoryTrace]
        func traces(from: String, before: String) -> [StoryTrace] {
            traces.filter { $0.day >= from && $0.day < before }
        }
        func said(day: String, story: Int) -> [[UInt64]] { [] }
        func signature(from: String, before: String) -> UInt64 { 0 }
    }

    /// A unit topic over `topic` and unit names over `names` (terms are small numbers here).
    static func vector(topic: [UInt64], names: [UInt64]) -> [TermWeight] {
        let t = topic.map { TermWeight(term: $0, weight: 1 / Float(topic.count).squareRoot()) }
        let n = names.map {
            TermWeight(term: $0 | StoryVector.nameBit, weight: 1 / Float(names.count).squareRoot())
        }
        return (t + n).sorted { $0.term < $1.term }
    }

    static let quake = vector(topic: [1, 2, 3, 4], names: [10, 11])
    static let otherQuake = vector(topic: [1, 2, 3, 4], names: [20, 21])

    @Test func aStoryWithNothingLikeItBeforeStartsAThreadNamedAfterItself() throws {
        let linker = try ThreadLinker(day: "2026-05-06", window: 3, history: History(traces: []))
        let thread = linker.thread(story: "s1", vector: Self.quake)
        #expect(thread == StoryThread(id: "2026-05-06/s1"))
    }

    @Test func theSameEventGoesOnTheEarlierThread() throws {
        let history = History(traces: [
            StoryTrace(day: "2026-05-05", story: 0, thread: "2026-05-04/s0", vector: Self.quake)
        ])
        let linker = try ThreadLinker(day: "2026-05-06", window: 3, history: history)
        let thread = linker.thread(story: "s1", vector: Self.vector(topic: [1, 2, 3, 5], names: [10, 11, 12]))
        #expect(thread.id == "2026-05-04/s0")
        #expect(thread.earlierDays == ["2026-05-05"])
        #expect(MarkdownRendering.continuing(thread) == "Continuing since 4 May, also 5 May.")
    }

    @Test func anEventOfTheSameKindWithOtherNamesStartsItsOwn() throws {
        let history = History(traces: [
            StoryTrace(day: "2026-05-05", story: 0, thread: "2026-05-05/s0", vector: Self.quake)
        ])
        let linker = try ThreadLinker(day: "2026-05-06", window: 3, history: history)
        #expect(linker.thread(story: "s1", vector: Self.otherQuake).id == "2026-05-06/s1")
        // Shared names without a shared topic are not one event either.
        let sameNames = Self.vector(topic: [7, 8, 9], names: [10, 11])
        #expect(linker.thread(story: "s2", vector: sameNames).id == "2026-05-06/s2")
    }

    @Test func onlyTheWindowCounts() throws {
        let history = History(traces: [
            StoryTrace(day: "2026-05-02", story: 0, thread: "2026-05-02/s0", vector: Self.quake)
        ])
        #expect(
            try ThreadLinker(day: "2026-05-05", window: 3, history: history).thread(story: "s1", vector: Self.quake).id
                == "2026-05-02/s0")
        #expect(
            try ThreadLinker(day: "2026-05-06", window: 3, history: history).thread(story: "s1", vector: Self.quake).id
                == "2026-05-06/s1")
        #expect(
            try ThreadLinker(day: "2026-05-05", window: 0, history: history).thread(story: "s1", vector: Self.quake).id
                == "2026-05-05/s1")
    }

    @Test func whenAStoryJoinsTwoThreadsTheOlderGoesOn() throws {
        let history = History(traces: [
            StoryTrace(day: "2026-05-05", story: 0, thread: "2026-05-05/s9", vector: Self.quake),
            StoryTrace(day: "2026-05-04", story: 3, thread: "2026-05-03/sa", vector: Self.quake),
        ])
        let linker = try ThreadLinker(day: "2026-05-06", window: 3, history: history)
        let thread = linker.thread(story: "s1", vector: Self.quake)
        #expect(thread.id == "2026-05-03/sa")
        #expect(thread.absorbed == ["2026-05-05/s9"])
        #expect(thread.earlierDays == ["2026-05-04"])
        #expect(thread.previous.map(\.story) == [3], "the older thread's latest story")
    }

    @Test func daysCountAcrossMonthsAndYears() {
        for day in ["2026-01-01", "2025-12-31", "2024-02-29", "2026-03-01", "1999-12-31"] {
            #expect(DayNumber.format(DayNumber.parse(day)!) == day)
        }
        #expect(DayNumber.format(DayNumber.parse("2026-03-01")! - 1) == "2026-02-28")
        #expect(DayNumber.format(DayNumber.parse("2026-01-01")! - 3) == "2025-12-29")
    }

    @Test func aStorysVectorIsItsOriginalsTopicAndNamesEachOfUnitLength() {
        let a = ArticleAnalyzer.analyze(
            RawArticle(
                title: "Crane collapses at Port Elsmere",
                text: "A crane collapsed at Port Elsmere on Monday. Harbour master Ilse Brandt closed berth 7.",
                source: "x"), file: "a.txt")
        let v = StoryVector.of([a])
        let names = v.filter { $0.term & StoryVector.nameBit != 0 }
        let topic = v.filter { $0.term & StoryVector.nameBit == 0 }
        #expect(!names.isEmpty && !topic.isEmpty)
        #expect(abs(names.reduce(0) { $0 + $1.weight * $1.weight } - 1) < 1e-4)
        #expect(abs(topic.reduce(0) { $0 + $1.weight * $1.weight } - 1) < 1e-4)
        #expect(v.map(\.term) == v.map(\.term).sorted())
        // "Elsmere" and "7" are names; "collapsed" is not.
        let name = { (w: String) in StableHash.bytes(Array(w.utf8)) | StoryVector.nameBit }
        #expect(names.contains { $0.term == name("elsmere") })
        #expect(names.contains { $0.term == name("7") })
        #expect(!names.contains { $0.term == name("collapsed") })
    }
}
