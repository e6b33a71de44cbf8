/// Threads: the stories of different days that report one event share a thread, so a reader
/// sees that today's story goes on from yesterday's. A story's thread is decided when it is
/// rendered, from its own articles and the stories kept for the few days before (never from
/// their text): it joins the thread of the most similar earlier story when that is close
/// enough, and otherwise starts one named after itself. Earlier days are only read, so what a
/// day's digest has shown of a thread never changes as later days arrive.

/// A story as later days see it: where it stands, its thread, and what it is about.
public struct StoryTrace: Sendable, Equatable {
    public var day: String
    /// Its index in its day.
    public var story: Int
    public var thread: String
    /// `StoryVector.of`: unit length, sorted by term.
    public var vector: [TermWeight]

    public init(day: String, story: Int, thread: String, vector: [TermWeight]) {
        self.day = day
        self.story = story
        self.thread = thread
        self.vector = vector
    }
}

/// Where the stories of earlier days are kept: the digest's kept renderings.
public protocol StoryHistory {
    /// The stories kept for the days in `from..<before` (YYYY-MM-DD, compared as text).
    func traces(from: String, before: String) throws -> [StoryTrace]
    /// The terms of each sentence of a kept story's brief: what its readers were told.
    func said(day: String, story: Int) throws -> [[UInt64]]
    /// A hash of what is kept for the days in `from..<before` (each story and its key): when it
    /// changes, threads linked against the window may link otherwise.
    func signature(from: String, before: String) throws -> UInt64
}

/// No earlier days: every story starts its own thread.
public struct NoStoryHistory: StoryHistory {
    public init() {}
    public func traces(from: String, before: String) -> [StoryTrace] { [] }
    public func said(day: String, story: Int) -> [[UInt64]] { [] }
    public func signature(from: String, before: String) -> UInt64 { 0 }
}

/// What a story is about, for comparing it with other days' stories, in two parts kept as one
/// list sorted by term: its topic (the sum of its original articles' unit topic vectors, cut to
/// its strongest terms) and its names (names, places and numbers its sentences use, the terms
/// with `nameBit` set), each part scaled to unit length. A near duplicate repeats its original
/// and would only weigh it twice. What a story keeps costs 12 bytes a term.
public enum StoryVector {
    public static let topicTerms = 24
    public static let nameTerms = 16
    /// Set on a name's term: the two parts never meet in a dot product.
    public static let nameBit: UInt64 = 1 << 63

    public static func of(_ articles: [ParsedArticle]) -> [TermWeight] {
        var topic: [UInt64: Float] = [:]
        var names: [UInt64: Float] = [:]
        for article in articles {
            for t in StoryIndex.unitVector(article.terms) { topic[t.term & ~nameBit, default: 0] += t.weight }
            var counts: [UInt64: Float] = [:]
            for sentence in article.sentences {
                var first = true
                Tokenizer.forEachWord(in: sentence.text) { w, capitalized in
                    defer { first = false }
                    // As the topic vector counts an entity: capitalized inside a sentence, or a number.
                    guard (capitalized && !first) || (w[0] >= 48 && w[0] <= 57) else { return }
                    let hash = StableHash.bytes(w)
                    guard !StopWords.contains(w, hash: hash) else { return }
                    counts[hash | nameBit, default: 0] += 1
                }
            }
            // In term order: the norm is a sum, and the dictionary's order is per process.
            let sorted = counts.sorted { $0.key < $1.key }
            for t in StoryIndex.unitVector(sorted.map { TermWeight(term: $0.key, weight: $0.value.squareRoot()) }) {
                names[t.term, default: 0] += t.weight
            }
        }
        return (strongest(topic, topicTerms) + strongest(names, nameTerms)).sorted { $0.term < $1.term }
    }

    /// The `count` heaviest terms, scaled to unit length.
    static func strongest(_ weights: [UInt64: Float], _ count: Int) -> [TermWeight] {
        // Strongest first, the term breaking ties: the dictionary's order is per process.
        let top = weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count)
        // Summed in term order, so the norm rounds the same way every run.
        let kept = top.sorted { $0.key < $1.key }
        let norm = kept.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
        guard norm > 0 else { return [] }
        return kept.map { TermWeight(term: $0.key, weight: $0.value / norm) }
    }
}

/// The thread a story gets, and what the digest says of it.
public struct StoryThread: Sendable, Equatable {
    public var id: String
    /// The earlier days (within the window) with a story of this thread, oldest first.
    public var earlierDays: [String]
    /// Threads of earlier stories this one joins besides its own: an older thread wins when a
    /// story is close to two, and the younger ends here.
    public var absorbed: [String]
    /// The thread's stories on the latest earlier day (day, story index): whose briefs the
    /// reader has read.
    public var previous: [(day: String, story: Int)]

    public init(
        id: String, earlierDays: [String] = [], absorbed: [String] = [], previous: [(day: String, story: Int)] = []
    ) {
        self.id = id
        self.earlierDays = earlierDays
        self.absorbed = absorbed
        self.previous = previous
    }

    public static func == (a: StoryThread, b: StoryThread) -> Bool {
        a.id == b.id && a.earlierDays == b.earlierDays && a.absorbed == b.absorbed
            && a.previous.elementsEqual(b.previous) { $0.day == $1.day && $0.story == $1.story }
    }

    /// The day a thread started: its id is that day and the id of the story that started it.
    public static func startDay(_ thread: String) -> String {
        String(thread.prefix { $0 != "/" })
    }

    public static func new(day: String, story: String) -> String { day + "/" + story }
}

/// The stories of a window of earlier days, indexed by term, and the rule that links a story to
/// them. Built once per day written; holds a few hundred bytes per earlier story.
public struct ThreadLinker: Sendable {
    /// Cosines from which two stories of different days are one event: of their topics, and of
    /// their names. Two events of one kind (two earthquakes) share their kind's words but not
    /// their names, places and numbers.
    public static let topicThreshold: Float = 0.4
    public static let nameThreshold: Float = 0.5

    public let day: String
    public let window: Int
    /// `StoryHistory.signature` of the window when it was read.
    public let signature: UInt64
    private var traces: [StoryTrace] = []
    private var postings: [UInt64: [Int32]] = [:]

    /// `window` days before `day` (0: none); `signature` is the window's
    /// `StoryHistory.signature` when the caller read it.
    public init(day: String, window: Int, history: some StoryHistory, signature: UInt64 = 0) throws {
        self.day = day
        self.window = window
        self.signature = signature
        guard let from = Self.windowStart(day: day, window: window) else { return }
        traces = try history.traces(from: from, before: day)
        for (i, trace) in traces.enumerated() {
            for t in trace.vector { postings[t.term, default: []].append(Int32(i)) }
        }
    }

    public var isEmpty: Bool { traces.isEmpty }

    /// The first day of the window `window` days before `day`, or nil when there is none.
    public static func windowStart(day: String, window: Int) -> String? {
        guard window > 0, let today = DayNumber.parse(day) else { return nil }
        return DayNumber.format(today - window)
    }

    /// The thread of `story` (its id in the digest) with topic vector `vector`.
    public func thread(story: String, vector: [TermWeight]) -> StoryThread {
        let own = StoryThread(id: StoryThread.new(day: day, story: story))
        guard !traces.isEmpty else { return own }
        var dots: [Int32: (topic: Float, names: Float)] = [:]
        for t in vector {
            guard let list = postings[t.term] else { continue }
            for i in list {
                let other = traces[Int(i)].vector
                // Vectors are short: the other's weight by binary search.
                guard let w = Self.weight(of: t.term, in: other) else { continue }
                if t.term & StoryVector.nameBit != 0 {
                    dots[i, default: (0, 0)].names += t.weight * w
                } else {
                    dots[i, default: (0, 0)].topic += t.weight * w
                }
            }
        }
        var linked: Set<String> = []
        for (i, dot) in dots where dot.topic >= Self.topicThreshold && dot.names >= Self.nameThreshold {
            linked.insert(traces[Int(i)].thread)
        }
        guard !linked.isEmpty else { return own }
        // The oldest thread wins (by its start day, then its id): a thread, once shown, goes on.
        let ordered = linked.sorted {
            let (a, b) = (StoryThread.startDay($0), StoryThread.startDay($1))
            return a != b ? a < b : $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        let thread = ordered[0]
        let members = traces.filter { $0.thread == thread }
        let days = Set(members.map(\.day)).sorted()
        let previous = members.filter { $0.day == days.last }.map { (day: $0.day, story: $0.story) }
        return StoryThread(
            id: thread, earlierDays: days, absorbed: Array(ordered.dropFirst()), previous: previous)
    }

    static func weight(of term: UInt64, in vector: [TermWeight]) -> Float? {
        var (lo, hi) = (0, vector.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if vector[mid].term < term { lo = mid + 1 } else { hi = mid }
        }
        return lo < vector.count && vector[lo].term == term ? vector[lo].weight : nil
    }
}

extension DayNumber {
    /// "YYYY-MM-DD" of days since 1970-01-01 (Howard Hinnant's civil-from-days).
    public static func format(_ days: Int) -> String {
        let (y, m, d) = toCivil(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    public static func toCivil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
