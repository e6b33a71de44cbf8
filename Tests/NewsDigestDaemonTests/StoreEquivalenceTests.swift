import Foundation
import Logging
import Testing

@testable import NewsDigest
@testable import NewsDigestDaemon

/// The day decided against the SQLite store must give the same digest, byte for byte, as the
/// same articles decided in memory: at every step, across days, and after the store is opened
/// again (the day rebuilt from its stored decisions, nothing decided twice).
@Suite struct StoreEquivalenceTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Invented events told by several outlets in their own words, copies of them (wire copy
    /// under a new headline, a truncated one), an exact re-drop, a standing line one outlet puts
    /// under everything (furniture), and the five seed articles of one real event.
    static func corpus() throws -> [(day: String, file: String, result: Result<RawArticle, Rejection>)] {
        let standing = "The Courier is an independent paper funded by its readers."
        var out: [(String, String, Result<RawArticle, Rejection>)] = []
        let towns = ["Varno", "Kessel", "Dorn", "Almira", "Torvik", "Beleth"]
        let events = [
            (
                "flood", "River {T} bursts its banks after three days of rain",
                "The river at {T} rose past its banks on Monday after three days of heavy rain, flooding {N} homes in the old town. Firefighters moved residents of the lower streets to the {T} sports hall overnight. The regional weather office expects the water to fall by Wednesday."
            ),
            (
                "strike", "{T} bus drivers strike over pay",
                "Bus drivers in {T} walked out on Tuesday in a dispute over pay, leaving {N} routes without service. The drivers' union said the city had offered a rise below inflation. Commuters crowded the {T} tram lines during the morning rush."
            ),
            (
                "bridge", "New bridge opens in {T} after four years of work",
                "A new road bridge across the {T} estuary opened to traffic on Friday, four years after work began. The bridge cost {N} million euros and cuts the journey to the coast by half an hour. Local shops on the old ferry route fear losing customers."
            ),
        ]
        let outlets = ["courier", "post", "herald"]
        for (d, day) in ["2026-03-02", "2026-03-03"].enumerated() {
            for (e, event) in events.enumerated() {
                let town = towns[(e + 3 * d) % towns.count]
                for (o, outlet) in outlets.enumerated() {
                    let n = String(100 + 37 * e + 11 * o + d)
                    func fill(_ s: String) -> String {
                        s.replacingOccurrences(of: "{T}", with: town).replacingOccurrences(of: "{N}", with: n)
                    }
                    var text = fill(event.2)
                    // Each outlet tells it its own way: sentences in another order, a line of its own.
                    var sentences = text.components(separatedBy: ". ")
                    sentences = Array(sentences[o...] + sentences[..<o])
                    text = sentences.joined(separator: ". ")
                    if !text.hasSuffix(".") { text += "." }
                    text += " \(outlet.capitalized) reporters spoke to people in \(town) about the \(event.0)."
                    if outlet == "courier" { text += "\n\n" + standing }
                    let raw = RawArticle(title: fill(event.1), text: text, source: outlet)
                    out.append((day, "\(outlet)/\(day)-\(event.0).txt", .success(raw)))
                    if o == 0 {
                        // Wire copy under another outlet's headline, and a copy cut short.
                        let copy = RawArticle(title: "Update: " + fill(event.1), text: text, source: "wire")
                        out.append((day, "wire/\(day)-\(event.0).txt", .success(copy)))
                        let cut = RawArticle(
                            title: "", text: String(text.prefix(text.count * 3 / 4)), source: "digest-bot")
                        out.append((day, "bot/\(day)-\(event.0).txt", .success(cut)))
                    }
                }
            }
            // The same text dropped again (on the second day: an article of the first).
            let again = out[1]
            out.append((day, "again/\(day).txt", again.2))
            out.append((day, "broken/\(day).bin", .failure(Rejection(.binary, "not text: a NUL byte at offset 3"))))
        }
        let seeds = root.appendingPathComponent("Examples/seeds")
        for outlet in try FileManager.default.contentsOfDirectory(atPath: seeds.path).sorted() {
            let folder = seeds.appendingPathComponent(outlet)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
                let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
                let raw = ArticleReader.read(bytes: bytes, fileName: name, folderSource: outlet)
                out.append(("2026-03-03", "\(outlet)/\(name)", raw))
            }
        }
        // A late file of the first day, written after the second day's digest: the seeds' story
        // (of the second day) now continues a story of the first, and must say so.
        let late = RawArticle(
            title: "Assad flees Syria for Moscow as rebels take Damascus",
            text: """
                Syrian President Bashar Assad left Damascus for Moscow on Sunday as rebel fighters entered the capital, Russian news agencies said, citing the Kremlin.
                Russia has backed Assad through the Syrian civil war, and the Kremlin said he and his family had been granted asylum in Moscow.
                """, source: "gazette")
        out.append(("2026-03-02", "gazette/assad.txt", .success(late)))
        return out
    }

    static func temporaryFolder() throws -> AbsolutePath {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nd-equiv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent("drop"), withIntermediateDirectories: true)
        return AbsolutePath(url.path)
    }

    static func committer(_ folder: AbsolutePath) throws -> Committer {
        try Committer(
            settings: Committer.Settings(
                drop: folder.appending("drop"), state: folder.appending("state"), afterIngest: .keep,
                grouping: GroupingOptions(), workers: 2),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func rendered(_ digest: Digest) -> String {
        JSONRendering.render(digest) + MarkdownRendering.render(digest) + HTMLRendering.render(digest)
    }

    /// The digest written the incremental way: kept stories brought up to date, then both files
    /// streamed from them.
    static func incremental(
        _ day: DayView, _ articles: some ArticleSource, _ kept: some RenderedStories, _ keys: inout StoryKeys
    ) throws -> (text: String, update: DigestUpdate) {
        let update = try DigestBuilder().update(day, articles: articles, rendered: kept, keys: &keys)
        var bytes: [UInt8] = []
        try DigestBuilder.renderJSON(day, update, from: kept) { bytes += $0 }
        try DigestBuilder.renderMarkdown(day, update, from: kept) { bytes += $0 }
        try DigestBuilder.renderHTML(day, update, from: kept, previous: nil, next: nil) { bytes += $0 }
        return (String(decoding: bytes, as: UTF8.self), update)
    }

    static func renderings(_ committer: Committer) throws -> StoreRenderings {
        nonisolated(unsafe) let store = committer.store
        return try store.renderings(
            save: { day, stories, removed in try store.saveRenderings(day: day, stories, removed: removed) },
            savePage: { try store.savePage($0) }, forgetPages: { try store.forgetPages(before: $0) },
            saveThreads: { try store.saveFeedThreads($0, now: $1) })
    }

    @Test func storeAndMemoryGiveTheSameDigestAtEveryStep() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder.display) }
        let corpus = try Self.corpus()
        var memory = MemoryDays()
        var committer: Committer? = try Self.committer(folder)
        var memoryMemos: [String: DigestBuilder.SummaryMemo] = [:]
        var storeMemos: [String: DigestBuilder.SummaryMemo] = [:]
        let memoryKept = MemoryRenderedStories()
        var memoryKeys: [String: StoryKeys] = [:]
        var storeKeys: [String: StoryKeys] = [:]
        var renderings: StoreRenderings? = try Self.renderings(committer!)
        var renderedAgain = 0
        let builder = DigestBuilder()
        var compared = 0
        var days: [String] = []
        for (i, item) in corpus.enumerated() {
            let identity = FileIdentity(device: 7, inode: UInt64(i + 1), size: 100, mtimeNanoseconds: Int64(i))
            let result = item.result.map { raw in (raw, ArticleAnalyzer.analyze(raw, file: item.file)) }
            let analyzed = Analyzed(
                entry: DropScanner.Entry(path: RelativePath(item.file), identity: identity), result: result)
            _ = try committer!.commit([analyzed], day: item.day)
            switch result {
            case .success(let (_, parsed)): memory.commit(parsed, day: item.day)
            case .failure(let rejection): memory.reject(file: item.file, reason: rejection.reason, day: item.day)
            }
            if !days.contains(item.day) { days.append(item.day) }
            for day in days {
                // Threads go on from the earlier day's kept stories, on each side its own.
                let fromMemory = memory.digest(
                    day, builder: builder, history: memoryKept, memo: &memoryMemos[day, default: .init()])
                let fromStore = try builder.build(
                    committer!.dayState(day), articles: try committer!.store.reader(), history: renderings!,
                    memo: &storeMemos[day, default: .init()])
                #expect(Self.rendered(fromStore) == Self.rendered(fromMemory), "\(day) after \(item.file)")
                // The incremental write, over kept renderings in memory and in the store, gives
                // the same bytes as the whole build, and renders only what changed.
                let reference = Self.rendered(fromMemory)
                let inMemory = try Self.incremental(
                    memory.ledger.days[day]!.view, memory.archive, memoryKept, &memoryKeys[day, default: .init()])
                #expect(inMemory.text == reference, "\(day) after \(item.file), kept in memory")
                let inStore = try Self.incremental(
                    committer!.dayState(day).view, try committer!.store.reader(), renderings!,
                    &storeKeys[day, default: .init()])
                #expect(inStore.text == reference, "\(day) after \(item.file), kept in the store")
                #expect(inStore.update.rendered == inMemory.update.rendered)
                // The day rebuilt only to be shown (no band table, no centroids: what a rewrite
                // of a day nothing is decided on reads) gives the same bytes and the same keys.
                var shownKeys = StoryKeys()
                let shown = try Self.incremental(
                    committer!.store.day(day, options: GroupingOptions(), indexing: false).view,
                    try committer!.store.reader(), renderings!, &shownKeys)
                #expect(shown.text == reference, "\(day) after \(item.file), rebuilt to be shown")
                #expect(shown.update.rendered == 0, "\(day) after \(item.file): the kept keys hold")
                renderedAgain += inStore.update.rendered
                compared += 1
            }
        }
        // What the corpus is for: every kind of outcome happened, on both sides alike.
        let last = memory.digest("2026-03-03", history: memoryKept)
        #expect(last.counts.exactDuplicates == 1 && last.counts.rejected == 1)
        #expect(last.counts.nearDuplicates >= 3)
        #expect(last.stories.contains { $0.sources.count >= 4 })
        #expect(compared > corpus.count)
        #expect(renderedAgain < compared, "every write rendered something again")

        // Opened again: the days are rebuilt from their stored decisions and go on the same way.
        committer = nil
        renderings = nil
        let reopened = try Self.committer(folder)
        renderings = try Self.renderings(reopened)
        for day in days {
            let fresh = try builder.build(
                reopened.dayState(day), articles: try reopened.store.reader(), history: renderings!)
            #expect(
                Self.rendered(fresh) == Self.rendered(memory.digest(day, history: memoryKept)), "\(day) after reopening"
            )
            // Nothing is rendered again after a restart: the kept keys come from the store.
            var keys = StoryKeys()
            let again = try Self.incremental(
                reopened.dayState(day).view, try reopened.store.reader(), renderings!, &keys)
            #expect(again.update.rendered == 0 && again.update.reused == fresh.stories.count)
            #expect(again.text == Self.rendered(fresh), "\(day) from kept renderings after reopening")
        }
        let late = RawArticle(
            title: "Kessel bus drivers strike over pay",
            text:
                "Drivers in Kessel stayed out for a second day, and the union called a rally at the town hall for Thursday evening.",
            source: "gazette")
        let parsed = ArticleAnalyzer.analyze(late, file: "gazette/late.txt")
        let identity = FileIdentity(device: 7, inode: 9999, size: 1, mtimeNanoseconds: 1)
        _ = try reopened.commit(
            [
                Analyzed(
                    entry: DropScanner.Entry(path: RelativePath("gazette/late.txt"), identity: identity),
                    result: .success((late, parsed)))
            ],
            day: "2026-03-03")
        memory.commit(parsed, day: "2026-03-03")
        let after = try builder.build(
            reopened.dayState("2026-03-03"), articles: try reopened.store.reader(), history: renderings!)
        #expect(Self.rendered(after) == Self.rendered(memory.digest("2026-03-03", history: memoryKept)))
        var keys = StoryKeys()
        let late2 = try Self.incremental(
            reopened.dayState("2026-03-03").view, try reopened.store.reader(), renderings!, &keys)
        #expect(late2.text == Self.rendered(after))
        #expect(late2.update.rendered == 1, "the late file's story alone is rendered again")

        // Threads: the strike goes on in Kessel the next day, and only that story continues one.
        // The next day's flood, strike and bridge happen in other towns: one kind of event, not
        // the same event, and they start threads of their own.
        let first = memory.digest("2026-03-02")
        let kessel = try #require(first.stories.first { $0.headline.contains("Kessel") })
        #expect(kessel.thread.id == "2026-03-02/" + kessel.id)
        let assad = try #require(first.stories.first { $0.articles.contains { $0.file == "gazette/assad.txt" } })
        let continuing = after.stories.filter { $0.thread.id.hasPrefix("2026-03-02/") }
        #expect(Set(continuing.map(\.thread.id)) == [kessel.thread.id, assad.thread.id])
        let strike = try #require(continuing.first { $0.thread.id == kessel.thread.id })
        #expect(strike.headline.contains("Kessel"))
        #expect(strike.thread.earlierDays == ["2026-03-02"])
        let seeds = try #require(continuing.first { $0.thread.id == assad.thread.id })
        #expect(seeds.articles.count == 5, "the seeds' story goes on the late file's thread")
        #expect(MarkdownRendering.render(after).contains("_Continuing since 2 Mar._"))
        for story in after.stories where story.thread.earlierDays.isEmpty {
            #expect(story.thread.id == "2026-03-03/" + story.id)
        }
    }

    @Test func featuresRoundTripThroughTheirByteLayouts() throws {
        for item in try Self.corpus() {
            guard case .success(let raw) = item.result else { continue }
            let a = ArticleAnalyzer.analyze(raw, file: item.file)
            #expect(FeatureCoding.decodeUInt64s(FeatureCoding.encode(a.shingles)) == a.shingles)
            #expect(FeatureCoding.decodeTerms(FeatureCoding.encode(a.terms)) == a.terms)
            let sentences = try #require(FeatureCoding.decodeSentences(FeatureCoding.encode(a.sentences)))
            #expect(sentences.map(\.text) == a.sentences.map(\.text))
            #expect(sentences.map(\.terms) == a.sentences.map(\.terms))
            #expect(sentences.map(\.line) == a.sentences.map(\.line))
            #expect(sentences.map(\.isCandidate) == a.sentences.map(\.isCandidate))
            #expect(sentences.map(\.position) == a.sentences.map(\.position))
            #expect(sentences.map(\.words) == a.sentences.map(\.words))
        }
        // Bytes it did not write are refused, not trapped on.
        #expect(FeatureCoding.decodeSentences([1, 0, 0, 0, 9]) == nil)
        #expect(FeatureCoding.decodeSentences(Array(repeating: 0xFF, count: 40)) == nil)
        #expect(FeatureCoding.decodeTerms([1, 2, 3]) == nil)
    }
}
