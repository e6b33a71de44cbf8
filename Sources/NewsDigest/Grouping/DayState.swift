/// What one article became when it was committed.
public enum Decision: Sendable, Equatable {
    case new(article: String, story: Int)
    case nearDuplicate(article: String, of: String, story: Int)
    case exactDuplicate(of: String)
    case rejected(reason: String)
}

/// One day's decisions in commit order, and the compact indexes that later decisions of the day
/// need. The articles' text, sentences and shingles are not held here: they are in the
/// `ArticleArchive` the day was decided against, and read back per story when a digest needs
/// them. A digest is a function of this and the archive.
public struct DayState: Sendable {
    public enum Status: Sendable, Equatable {
        case new
        /// Position (into `entries`) of the article it repeats.
        case nearDuplicate(of: Int)
    }

    /// One article of the day: its decision, in 24 bytes. What the digest lists of it (file,
    /// title) is read back from the archive with its text when its story is rendered; the day
    /// in memory holds no string per article.
    public struct Entry: Sendable {
        /// The exact key its id derives from (`ParsedArticle.id`).
        public let exactKey: UInt64
        /// The source's number in this day (`DayView.sourceNames`, `sourceGenerations`).
        public let sourceID: Int32
        /// The position of the article it repeats, or -1 for an original.
        let nearOf: Int32
        let storyIndex: Int32

        init(exactKey: UInt64, sourceID: Int32, status: Status, story: Int) {
            self.exactKey = exactKey
            self.sourceID = sourceID
            if case .nearDuplicate(let of) = status { nearOf = Int32(of) } else { nearOf = -1 }
            storyIndex = Int32(story)
        }

        public var id: String { ParsedArticle.id(exactKey: exactKey) }
        public var status: Status { nearOf < 0 ? .new : .nearDuplicate(of: Int(nearOf)) }
        public var story: Int { Int(storyIndex) }
    }

    /// One stored article, as the store gives it back to rebuild the day's indexes with the
    /// decisions taken when it was committed (nothing is decided again).
    public struct Restored: Sendable {
        public var exactKey: UInt64
        public var source: String
        public var publishedDay: Int?
        public var status: Status
        public var story: Int
        public var bandKeys: [UInt64]
        public var terms: [TermWeight]
        /// The distinct line hashes of its sentences (furniture counting).
        public var lines: [UInt64]

        public init(
            exactKey: UInt64, source: String, publishedDay: Int?, status: Status, story: Int, bandKeys: [UInt64],
            terms: [TermWeight], lines: [UInt64]
        ) {
            self.exactKey = exactKey
            self.source = source
            self.publishedDay = publishedDay
            self.status = status
            self.story = story
            self.bandKeys = bandKeys
            self.terms = terms
            self.lines = lines
        }
    }

    public let day: String
    public private(set) var entries: [Entry] = []
    public private(set) var exactDuplicates: [(file: String, of: String)] = []
    public private(set) var rejected: [(file: String, reason: String)] = []
    public private(set) var stories: StoryIndex
    private var near: NearDuplicateIndex
    fileprivate var furniture = FurnitureCounter()
    /// The distinct sources of the entries, numbered in the order they first came (a few
    /// dozen outlets, not one per article).
    private var sources: [String: Int32] = [:]
    /// By source number.
    public private(set) var sourceNames: [String] = []

    private mutating func sourceID(_ source: String) -> Int32 {
        if let id = sources[source] { return id }
        let id = Int32(sourceNames.count)
        sources[source] = id
        sourceNames.append(source)
        return id
    }

    /// False for a day rebuilt only to be shown (`restore` skips the band table and the
    /// centroids): nothing is decided on it.
    public let indexing: Bool

    public init(day: String, options: GroupingOptions, indexing: Bool = true) {
        self.day = day
        self.indexing = indexing
        self.stories = StoryIndex(threshold: options.storyThreshold, dayGate: options.dayGate)
        self.near = NearDuplicateIndex(containmentThreshold: options.containmentThreshold)
    }

    /// Decides a new (not exactly repeated) article against the day and records it in the
    /// archive. After a throw the day is not to be used again: rebuild it from the archive.
    mutating func addNew(_ article: ParsedArticle, archive: inout some ArticleArchive) throws -> Decision {
        let position = entries.count
        let day = self.day
        let original = try near.match(article) { [archive] in try archive.shingles(day: day, position: $0) }
        if let original {
            let root: Int
            if case .nearDuplicate(let of) = entries[original].status { root = of } else { root = original }
            let story = entries[root].story
            try archive.record(article, day: day, position: position, decision: .nearDuplicate(of: root), story: story)
            append(article, status: .nearDuplicate(of: root), story: story)
            near.insert(article.bandKeys, at: position)
            stories.attach(index: position, toStory: story)
            return .nearDuplicate(article: article.id, of: entries[root].id, story: story)
        }
        let story = stories.assign(terms: article.terms, publishedDay: article.publishedDay, index: position)
        try archive.record(article, day: day, position: position, decision: .new, story: story)
        append(article, status: .new, story: story)
        near.insert(article.bandKeys, at: position)
        furniture.add(source: article.source, lines: Self.distinctLines(article))
        return .new(article: article.id, story: story)
    }

    private mutating func append(_ article: ParsedArticle, status: Status, story: Int) {
        let sourceID = sourceID(article.source)
        entries.append(Entry(exactKey: article.exactKey, sourceID: sourceID, status: status, story: story))
    }

    /// Makes room for `articles` more articles in the indexes that grow by copying (`once`
    /// knows how many files it is about to commit).
    public mutating func reserve(articles: Int) {
        near.reserve(keys: articles * MinHash.bands)
    }

    /// Takes back one stored article with its stored decision, in commit order.
    public mutating func restore(_ r: Restored) {
        let position = entries.count
        let sourceID = sourceID(r.source)
        entries.append(Entry(exactKey: r.exactKey, sourceID: sourceID, status: r.status, story: r.story))
        if indexing { near.insert(r.bandKeys, at: position) }
        switch r.status {
        case .new:
            if indexing {
                stories.restore(terms: r.terms, publishedDay: r.publishedDay, index: position, story: r.story)
            } else {
                stories.restoreMembership(index: position, story: r.story)
            }
            furniture.add(source: r.source, lines: r.lines)
        case .nearDuplicate:
            stories.attach(index: position, toStory: r.story)
        }
    }

    /// The distinct line hashes of an article's sentences, sorted: what furniture counting
    /// reads, and what the store keeps of them.
    public static func distinctLines(_ article: ParsedArticle) -> [UInt64] {
        var lines = article.sentences.map(\.line)
        lines.sort()
        var out: [UInt64] = []
        for l in lines where out.last != l { out.append(l) }
        return out
    }

    public mutating func addExactDuplicate(file: String, of id: String) {
        exactDuplicates.append((file, id))
    }

    public mutating func addRejected(file: String, reason: String) {
        rejected.append((file, reason))
    }

    func isFurniture(source: String, line: UInt64) -> Bool {
        furniture.isFurniture(source: source, line: line)
    }

    /// Changes whenever one more of the source's lines becomes furniture.
    func furnitureGeneration(source: String) -> Int {
        furniture.generation(source: source)
    }
}

/// What a digest reads of a day: the entries, each story's members, the furniture counts, the
/// duplicates and rejections; not the indexes deciding uses. A copy held while the day goes on
/// deciding (the daemon's writer) shares what does not change and copies little when it does.
public struct DayView: Sendable {
    public let day: String
    public let entries: [DayState.Entry]
    /// Each story's members (positions in `entries`), by story index.
    public let stories: [[Int]]
    public let exactDuplicates: [(file: String, of: String)]
    public let rejected: [(file: String, reason: String)]
    /// How many distinct sources the entries have.
    public var sourceCount: Int { sourceGenerations.count }
    /// By source number (`Entry.sourceID`).
    public let sourceNames: [String]
    /// By source number (`Entry.sourceID`): its `furnitureGeneration`.
    let sourceGenerations: [Int]
    let furniture: FurnitureCounter

    func isFurniture(source: String, line: UInt64) -> Bool {
        furniture.isFurniture(source: source, line: line)
    }

    func furnitureGeneration(source: String) -> Int {
        furniture.generation(source: source)
    }
}

extension DayState {
    public var view: DayView {
        let generations = sourceNames.map { furniture.generation(source: $0) }
        return DayView(
            day: day, entries: entries, stories: stories.stories.map(\.members), exactDuplicates: exactDuplicates,
            rejected: rejected, sourceNames: sourceNames, sourceGenerations: generations, furniture: furniture)
    }
}

/// Per source, how many of its distinct articles carry each line: a line one source repeats
/// under several of its articles is that source's furniture. Keys are a source number and the
/// line's hash, so an entry costs a few words, not a string.
struct FurnitureCounter: Sendable {
    /// Lines a source repeats under this many of its own distinct articles are its furniture
    /// ("RFE/RL can not confirm those reports.", a standing disclaimer), never a story's news.
    static let repeats = 3

    private struct Key: Hashable, Sendable {
        let source: Int32
        let line: UInt64
    }

    private var sources: [String: Int32] = [:]
    private var counts: [Key: Int32] = [:]
    /// By source number: how many of its lines are furniture so far. Lines only ever become
    /// furniture, so while this stays the same, so does every answer of `isFurniture`.
    private var generations: [Int] = []

    mutating func add(source: String, lines: [UInt64]) {
        let id: Int32
        if let known = sources[source] {
            id = known
        } else {
            id = Int32(generations.count)
            sources[source] = id
            generations.append(0)
        }
        for line in lines {
            let key = Key(source: id, line: line)
            let count = (counts[key] ?? 0) + 1
            counts[key] = count
            if count == Self.repeats { generations[Int(id)] += 1 }
        }
    }

    func isFurniture(source: String, line: UInt64) -> Bool {
        guard let id = sources[source] else { return false }
        return (counts[Key(source: id, line: line)] ?? 0) >= Self.repeats
    }

    func generation(source: String) -> Int {
        sources[source].map { generations[Int($0)] } ?? 0
    }
}

/// The tunable thresholds of the three levels of "the same".
public struct GroupingOptions: Sendable, Equatable {
    public var containmentThreshold: Double = 0.7
    public var storyThreshold: Float = 0.3
    public var dayGate: Int = 3
    /// How many days before its own a story's thread may go on from (DigestBuilder.threadWindow).
    public var threadWindowDays: Int = 3
    public init() {}
}

/// The days being worked on. Exact duplicates are found through the archive, which spans every
/// stored day (the same text dropped again next week is still a duplicate of the article it
/// first was), so nothing here grows with the store: only with the days held.
public struct Ledger: Sendable {
    public var options: GroupingOptions
    public private(set) var days: [String: DayState] = [:]

    public init(options: GroupingOptions = GroupingOptions()) {
        self.options = options
    }

    /// Decides what `article` is and records it under `day` (YYYY-MM-DD, the commit day), which
    /// must be loaded (or new). After a throw, `day` must be dropped and rebuilt.
    @discardableResult
    public mutating func commit(_ article: ParsedArticle, day: String, archive: inout some ArticleArchive) throws
        -> Decision
    {
        // Decided and stored with the date believed, so a day rebuilt from the store agrees.
        let article = article.believingPublication(on: day)
        if try archive.containsArticle(id: article.id) {
            days[day, default: DayState(day: day, options: options)].addExactDuplicate(
                file: article.file, of: article.id)
            return .exactDuplicate(of: article.id)
        }
        return try days[day, default: DayState(day: day, options: options)].addNew(article, archive: &archive)
    }

    @discardableResult
    public mutating func reject(file: String, reason: String, day: String) -> Decision {
        days[day, default: DayState(day: day, options: options)].addRejected(file: file, reason: reason)
        return .rejected(reason: reason)
    }

    /// Puts a day rebuilt from the store in place.
    public mutating func load(_ state: DayState) {
        days[state.day] = state
    }

    /// Makes room in `day` (loaded, or new) for `articles` more articles.
    public mutating func reserve(day: String, articles: Int) {
        days[day, default: DayState(day: day, options: options)].reserve(articles: articles)
    }

    /// Drops a day from memory; its articles stay in the archive.
    public mutating func unload(day: String) {
        days[day] = nil
    }

    /// Drops every day (after a commit the store refused, whose decisions these already hold).
    public mutating func unloadAll() {
        days = [:]
    }
}
