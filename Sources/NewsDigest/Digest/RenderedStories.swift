/// One story of a day rendered as both digest files show it, with what it was rendered from.
/// A digest write renders only the stories whose key changed and streams the rest from where
/// they are kept: a rewrite after one new file costs that file's story, not the day.
public struct RenderedStory: Sendable, Equatable {
    public enum Part: Sendable {
        case json
        case markdown
        case html
        case toc
    }

    /// The story's index in its day.
    public var story: Int
    /// What it was rendered from: its members, its sources' furniture and the summary
    /// settings (`DigestBuilder.storyKey`). The same key always renders to the same bytes.
    public var key: UInt64
    public var rank: StoryRank
    /// `JSONRendering.story`: an element of the stories array.
    public var json: String
    /// `MarkdownRendering.story`: the section after its number.
    public var markdown: String
    /// `HTMLRendering.story` and `HTMLRendering.toc`: its item in the page and in the contents.
    public var html: String
    public var toc: String
    /// The headline as text: what the index of days shows of the day's first stories.
    public var headline: String
    /// Its thread's id and `StoryVector`: what later days link to.
    public var thread: String
    public var vector: [TermWeight]
    /// The terms of its brief's sentences: what the next day's brief need not say again.
    public var said: [[UInt64]]

    public init(
        story: Int, key: UInt64, rank: StoryRank, json: String, markdown: String, html: String, toc: String,
        headline: String, thread: String, vector: [TermWeight], said: [[UInt64]]
    ) {
        self.headline = headline
        self.html = html
        self.toc = toc
        self.story = story
        self.key = key
        self.rank = rank
        self.json = json
        self.markdown = markdown
        self.thread = thread
        self.vector = vector
        self.said = said
    }
}

/// Where rendered stories are kept between writes: the daemon's store (so a restart renders
/// nothing again), or memory. What is kept of earlier days is also what threads link to.
public protocol RenderedStories: StoryHistory {
    /// The key of each story kept for `day`, by story index.
    func keys(day: String) throws -> [Int: UInt64]
    /// Keeps `stories` (each replaces the story's earlier rendering) and forgets `removed`.
    func save(day: String, _ stories: [RenderedStory], removed: [Int]) throws
    /// The day's stories best first (`StoryRank` order), one part of each, one at a time, as
    /// the UTF-8 bytes it was kept as (valid only during the call: nothing is copied for it).
    func eachRanked(day: String, _ part: RenderedStory.Part, _ body: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// Rendered stories in memory: for tests, and the reference the store must agree with.
public final class MemoryRenderedStories: RenderedStories, @unchecked Sendable {
    // Touched by one caller at a time (tests); the daemon keeps its renderings in the store.
    private var days: [String: [Int: RenderedStory]] = [:]

    public init() {}

    public func keys(day: String) -> [Int: UInt64] {
        (days[day] ?? [:]).mapValues(\.key)
    }

    public func save(day: String, _ stories: [RenderedStory], removed: [Int]) {
        for s in stories { days[day, default: [:]][s.story] = s }
        for r in removed { days[day]?[r] = nil }
    }

    public func eachRanked(day: String, _ part: RenderedStory.Part, _ body: (UnsafeRawBufferPointer) throws -> Void)
        throws
    {
        for s in (days[day] ?? [:]).values.sorted(by: { $0.rank < $1.rank }) {
            var text: String
            switch part {
            case .json: text = s.json
            case .markdown: text = s.markdown
            case .html: text = s.html
            case .toc: text = s.toc
            }
            try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// The kept stories of the days in `from..<before`, in the store's order: by day, then story.
    private func window(from: String, before: String) -> [(day: String, story: RenderedStory)] {
        days.keys.filter { $0 >= from && $0 < before }.sorted().flatMap { day in
            days[day]!.values.sorted { $0.story < $1.story }.map { (day, $0) }
        }
    }

    public func traces(from: String, before: String) -> [StoryTrace] {
        window(from: from, before: before).map {
            StoryTrace(day: $0.day, story: $0.story.story, thread: $0.story.thread, vector: $0.story.vector)
        }
    }

    public func said(day: String, story: Int) -> [[UInt64]] {
        days[day]?[story]?.said ?? []
    }

    public func signature(from: String, before: String) -> UInt64 {
        window(from: from, before: before).reduce(0) {
            StableHash.combine(StableHash.combine($0, UInt64($1.story.story)), $1.story.key)
        }
    }
}

/// The keys of one day's kept stories, in memory between writes so finding what changed reads
/// nothing: 8 bytes a story.
public struct StoryKeys: Sendable {
    public internal(set) var day: String?
    /// By story index; 0 where none is kept.
    var keys: [UInt64] = []
    /// The earlier days' stories this day's threads go on from, read at the day's first update.
    var linker: ThreadLinker?

    public init() {}

    subscript(story: Int) -> UInt64 {
        get { story < keys.count ? keys[story] : 0 }
        set {
            if story >= keys.count { keys.append(contentsOf: repeatElement(0, count: story + 1 - keys.count)) }
            keys[story] = newValue
        }
    }
}

/// What one digest update did.
public struct DigestUpdate: Sendable {
    public var day: String
    public var counts: Digest.Counts
    /// Distinct sources of the day's articles (the Markdown's first line).
    public var sources: Int
    /// Stories summarized and rendered again, and stories taken as they were kept.
    public var rendered = 0
    public var reused = 0
    /// The day written before this one when this write gave the day its first page: that
    /// page's "next" link is to be written again.
    public var linkBack: String?
}

extension DigestBuilder {
    /// Bump when what a story renders to changes for the same articles (summarizing,
    /// headlines, either rendering): kept renderings of the old kind are then made again.
    static let renderingVersion: UInt64 = 3

    /// What a story's rendering is a function of: its members in order (a story only gains
    /// articles, and a position is never reused within a day), its sources' furniture
    /// generations, and the summary settings.
    func storyKey(_ day: DayView, members: [Int], settings: UInt64) -> UInt64 {
        var h = settings
        for m in members { h = StableHash.combine(h, UInt64(m)) }
        // The generation of each distinct source, by number: an array read, where copying
        // each member's entry, or looking its source up by name, cost more than the rest.
        day.entries.withUnsafeBufferPointer { entries in
            if members.count == 1 {
                h = StableHash.combine(h, UInt64(day.sourceGenerations[Int(entries[members[0]].sourceID)]))
                return
            }
            var seen: [Int32] = []
            for m in members {
                let id = entries[m].sourceID
                if seen.contains(id) { continue }
                seen.append(id)
                h = StableHash.combine(h, UInt64(day.sourceGenerations[Int(id)]))
            }
        }
        // 0 means "none kept".
        return h == 0 ? 1 : h
    }

    /// The summary settings and the rendering version, hashed once per update.
    var settingsKey: UInt64 {
        StableHash.combine(Self.renderingVersion, StableHash.string("\(budget) \(summarizer) \(threadWindow)"))
    }

    /// Brings `rendered` up to date with `day`: summarizes and renders only the stories whose
    /// key differs from the kept one, and forgets stories left empty. `keys` mirrors the kept
    /// keys of the day between calls (read from `rendered` when it is of another day).
    public func update(
        _ day: DayView, articles source: some ArticleSource, rendered: some RenderedStories, keys: inout StoryKeys
    ) throws -> DigestUpdate {
        if keys.day != day.day {
            keys = StoryKeys()
            for (story, key) in try rendered.keys(day: day.day) { keys[story] = key }
            keys.day = day.day
        }
        // The window's stories are read again when anything kept of them changed (a late file of
        // yesterday's): today's stories then render again, so a whole build agrees.
        let window =
            try ThreadLinker.windowStart(day: day.day, window: threadWindow).map {
                try rendered.signature(from: $0, before: day.day)
            } ?? 0
        if keys.linker?.window != threadWindow || keys.linker?.signature != window {
            keys.linker = try ThreadLinker(day: day.day, window: threadWindow, history: rendered, signature: window)
        }
        let linker = keys.linker!
        var update = DigestUpdate(day: day.day, counts: Digest.Counts(), sources: 0)
        var stale: [(index: Int, members: [Int], key: UInt64)] = []
        var removed: [Int] = []
        var stories = 0
        let settings = StableHash.combine(settingsKey, linker.signature)
        for (index, members) in day.stories.enumerated() {
            if members.isEmpty {
                if keys[index] != 0 { removed.append(index) }
                continue
            }
            stories += 1
            let key = storyKey(day, members: members, settings: settings)
            if keys[index] == key { update.reused += 1 } else { stale.append((index, members, key)) }
        }
        // Saved in batches of about `saveBytes`, so a first write of a large day never holds
        // all of it rendered, and a daemon busy committing is asked to store them a few times
        // per write, not once per handful of stories (each save waits for the commit in hand:
        // 32 stories a save made a write in a 100k-file flood take 104 s).
        var pending: [RenderedStory] = []
        var pendingBytes = 0
        var done = 0
        func flush() throws {
            try rendered.save(day: day.day, pending, removed: removed)
            for r in pending { keys[r.story] = r.key }
            for r in removed { keys[r] = 0 }
            pending = []
            pendingBytes = 0
            removed = []
        }
        // Each batch read back is summarized and rendered on `workers` threads: a story's
        // rendering is a function of its articles, its thread and what that thread said the
        // day before, so the work is pure per story. Only `said` reads the store: between the two.
        try readBatches(day, stale.map { ($0.index, $0.members) }, from: source) { batch in
            let threads = ParallelMap.map(batch, workers: workers) { item in
                Self.thread(day, item.members, item.parsed, linker: linker)
            }
            let said = try threads.map { _, thread in
                try thread.previous.flatMap { try rendered.said(day: $0.day, story: $0.story) }
            }
            let work = (0..<batch.count).map { (batch[$0], threads[$0], said[$0], stale[done + $0].key) }
            let renderings = ParallelMap.map(work, workers: workers) { item, thread, said, key in
                render(day, item.members, item.parsed, index: item.index, key: key, thread: thread, said: said)
            }
            done += batch.count
            for rendering in renderings {
                pendingBytes +=
                    rendering.json.utf8.count + rendering.markdown.utf8.count + rendering.html.utf8.count
                    + rendering.toc.utf8.count
                pending.append(rendering)
                if pendingBytes >= Self.saveBytes { try flush() }
            }
        }
        if !pending.isEmpty || !removed.isEmpty { try flush() }
        update.rendered = stale.count
        update.counts = Self.counts(day, stories: stories)
        update.sources = day.sourceCount
        return update
    }

    /// One story summarized and rendered as both files and the page show it.
    func render(
        _ day: DayView, _ members: [Int], _ parsed: [ParsedArticle], index: Int, key: UInt64,
        thread: ([TermWeight], StoryThread), said: [[UInt64]]
    ) -> RenderedStory {
        let (vector, thread) = thread
        let (summary, headline, saying) = summarize(day, members, parsed, said: said)
        let (story, rank) = Self.story(
            day, members: members, parsed, summary: summary, headline: headline, thread: thread)
        return RenderedStory(
            story: index, key: key, rank: rank, json: JSONRendering.story(story),
            markdown: MarkdownRendering.story(story), html: HTMLRendering.story(story),
            toc: HTMLRendering.toc(story), headline: story.headline, thread: thread.id, vector: vector, said: saying)
    }

    /// The day's JSON digest from its kept stories, in pieces of about `Rendering.chunk` bytes
    /// handed to `sink` in order: the same bytes as `JSONRendering.render(build(day))`.
    public static func renderJSON(
        _ day: DayView, _ update: DigestUpdate, from rendered: some RenderedStories,
        into sink: ([UInt8]) throws -> Void
    ) throws {
        var out = ByteChunks()
        try out.append(JSONRendering.head(date: day.day, counts: update.counts), sink)
        var first = true
        try rendered.eachRanked(day: day.day, .json) { story in
            if !first { try out.append(",", sink) }
            first = false
            try out.append(story, sink)
        }
        try out.append(JSONRendering.storiesEnd(any: !first), sink)
        try JSONRendering.tail(
            exactDuplicates: day.exactDuplicates.lazy.map { Digest.ExactDuplicate(file: $0.file, duplicateOf: $0.of) },
            rejected: day.rejected.lazy.map { Digest.Rejected(file: $0.file, reason: $0.reason) }, after: "",
            into: { try out.append($0, sink) })
        try out.finish(sink)
    }

    /// The day's Markdown digest from its kept stories: the same bytes as
    /// `MarkdownRendering.render(build(day))`.
    public static func renderMarkdown(
        _ day: DayView, _ update: DigestUpdate, from rendered: some RenderedStories,
        into sink: ([UInt8]) throws -> Void
    ) throws {
        var out = ByteChunks()
        try out.append(MarkdownRendering.head(date: day.day, counts: update.counts, sources: update.sources), sink)
        var rank = 0
        try rendered.eachRanked(day: day.day, .markdown) { story in
            try out.append(MarkdownRendering.heading(rank: rank), sink)
            try out.append(story, sink)
            rank += 1
        }
        try MarkdownRendering.tail(
            rejected: day.rejected.lazy.map { Digest.Rejected(file: $0.file, reason: $0.reason) }, after: "",
            into: { try out.append($0, sink) })
        try out.finish(sink)
    }
}

extension DigestBuilder {
    /// The day's web page from its kept stories: the same bytes as
    /// `HTMLRendering.render(build(day))` with the same neighbours.
    public static func renderHTML(
        _ day: DayView, _ update: DigestUpdate, from rendered: some RenderedStories, previous: String?,
        next: String?, into sink: ([UInt8]) throws -> Void
    ) throws {
        // The template hands its text and each streamed part over in order; kept parts go
        // through as the bytes the store holds. The parts run only during `page`.
        try withoutActuallyEscaping(sink) { sink in
            var out = ByteChunks()
            func part(_ p: RenderedStory.Part) -> ((String) throws -> Void) throws -> Void {
                { _ in try rendered.eachRanked(day: day.day, p) { try out.append($0, sink) } }
            }
            try HTMLRendering.page(
                day: day.day, counts: update.counts, sources: update.sources, previous: previous, next: next,
                rejected: day.rejected.lazy.map { Digest.Rejected(file: $0.file, reason: $0.reason) },
                toc: part(.toc), stories: part(.html), into: { try out.append($0, sink) })
            try out.finish(sink)
        }
    }
}

/// Bytes gathered into pieces of about `Rendering.chunk` and handed on: a day's file is written
/// as it is assembled, never held whole.
struct ByteChunks {
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(Rendering.chunk + 4096)
    }

    mutating func append(_ s: String, _ sink: ([UInt8]) throws -> Void) throws {
        var s = s
        try s.withUTF8 { try append(UnsafeRawBufferPointer($0), sink) }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer, _ sink: ([UInt8]) throws -> Void) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count > Rendering.chunk {
            try sink(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func finish(_ sink: ([UInt8]) throws -> Void) throws {
        if !buffer.isEmpty { try sink(buffer) }
        buffer = []
    }
}
