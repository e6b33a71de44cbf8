/// What one article became when it was committed.
public enum Decision: Sendable, Equatable {
    case new(article: String, story: Int)
    case nearDuplicate(article: String, of: String, story: Int)
    case exactDuplicate(of: String)
    case rejected(reason: String)
}

/// One day's articles and the decisions taken on them, in commit order. A digest is a function
/// of this and nothing else.
public struct DayState: Sendable {
    public enum Status: Sendable, Equatable {
        case new
        /// Index (into `articles`) of the article it repeats.
        case nearDuplicate(of: Int)
    }

    public struct Entry: Sendable {
        public let article: ParsedArticle
        public let status: Status
        public let story: Int
    }

    public let day: String
    public private(set) var entries: [Entry] = []
    public private(set) var exactDuplicates: [(file: String, of: String)] = []
    public private(set) var rejected: [(file: String, reason: String)] = []
    public private(set) var stories: StoryIndex
    private var near: NearDuplicateIndex
    /// (source, line hash) → how many of the source's distinct articles carry that line.
    private var lineCounts: [LineKey: Int] = [:]
    /// Source → how many of its lines are furniture so far. Lines only ever become furniture, so
    /// while this stays the same, so does every answer of `isFurniture` for the source.
    private var furnitureLines: [String: Int] = [:]

    struct LineKey: Hashable, Sendable {
        let source: String
        let line: UInt64
    }

    public init(day: String, options: GroupingOptions) {
        self.day = day
        self.stories = StoryIndex(threshold: options.storyThreshold, dayGate: options.dayGate)
        self.near = NearDuplicateIndex(containmentThreshold: options.containmentThreshold)
    }

    mutating func addNew(_ article: ParsedArticle) -> Decision {
        let index = entries.count
        if let original = near.match(article) {
            let root: Int
            if case .nearDuplicate(let of) = entries[original].status { root = of } else { root = original }
            let story = entries[root].story
            entries.append(Entry(article: article, status: .nearDuplicate(of: root), story: story))
            near.insert(article, at: index)
            stories.attach(index: index, toStory: story)
            return .nearDuplicate(article: article.id, of: entries[root].article.id, story: story)
        }
        let story = stories.assign(article, index: index)
        entries.append(Entry(article: article, status: .new, story: story))
        near.insert(article, at: index)
        for line in Set(article.sentences.map(\.line)) {
            let key = LineKey(source: article.source, line: line)
            let count = (lineCounts[key] ?? 0) + 1
            lineCounts[key] = count
            if count == Self.furnitureRepeats { furnitureLines[article.source, default: 0] += 1 }
        }
        return .new(article: article.id, story: story)
    }

    mutating func addExactDuplicate(file: String, of id: String) {
        exactDuplicates.append((file, id))
    }

    mutating func addRejected(file: String, reason: String) {
        rejected.append((file, reason))
    }

    /// Lines a source repeats under this many of its own distinct articles are its furniture
    /// ("RFE/RL can not confirm those reports.", a standing disclaimer), never a story's news.
    static let furnitureRepeats = 3

    func isFurniture(source: String, line: UInt64) -> Bool {
        (lineCounts[LineKey(source: source, line: line)] ?? 0) >= Self.furnitureRepeats
    }

    /// Changes whenever one more of the source's lines becomes furniture.
    func furnitureGeneration(source: String) -> Int {
        furnitureLines[source] ?? 0
    }
}

/// The tunable thresholds of the three levels of "the same".
public struct GroupingOptions: Sendable, Equatable {
    public var containmentThreshold: Double = 0.7
    public var storyThreshold: Float = 0.3
    public var dayGate: Int = 3
    public init() {}
}

/// The days in memory plus the exact-duplicate index that spans every stored day: the same text
/// dropped again next week is still a duplicate of the article it first was. Only days that are
/// being worked on are held whole; the others are known by their article ids alone, so memory
/// and start-up follow the day's size, not the store's.
public struct Ledger: Sendable {
    public var options: GroupingOptions
    public private(set) var days: [String: DayState] = [:]
    /// Ids of the articles (new or near duplicates) of every stored day. An article's id is
    /// derived from its exact key, so an equal id is an exact duplicate.
    private var exact: Set<String> = []

    /// One stored outcome of a day, in commit order, for `load`.
    public enum Replayed: Sendable {
        case article(ParsedArticle)
        case exactDuplicate(file: String, of: String)
        case rejected(file: String, reason: String)
    }

    public init(options: GroupingOptions = GroupingOptions()) {
        self.options = options
    }

    /// Decides what `article` is and records it under `day` (YYYY-MM-DD, the commit day), which
    /// must be loaded (or new).
    @discardableResult
    public mutating func commit(_ article: ParsedArticle, day: String) -> Decision {
        if exact.contains(article.id) {
            days[day, default: DayState(day: day, options: options)].addExactDuplicate(
                file: article.file, of: article.id)
            return .exactDuplicate(of: article.id)
        }
        exact.insert(article.id)
        return days[day, default: DayState(day: day, options: options)].addNew(article)
    }

    @discardableResult
    public mutating func reject(file: String, reason: String, day: String) -> Decision {
        days[day, default: DayState(day: day, options: options)].addRejected(file: file, reason: reason)
        return .rejected(reason: reason)
    }

    /// An article of a day that is not loaded: known for exact duplicates only.
    public mutating func remember(articleID: String) {
        exact.insert(articleID)
    }

    /// Rebuilds one day from its stored outcomes, in commit order: near duplicates and stories
    /// are decided again with the current code, exact duplicates are taken as stored (their
    /// originals may be on other days).
    public mutating func load(day: String, _ records: [Replayed]) {
        var state = DayState(day: day, options: options)
        var seen: Set<String> = []
        for r in records {
            switch r {
            case .article(let article):
                if seen.insert(article.id).inserted {
                    exact.insert(article.id)
                    _ = state.addNew(article)
                } else {
                    state.addExactDuplicate(file: article.file, of: article.id)
                }
            case .exactDuplicate(let file, let of):
                state.addExactDuplicate(file: file, of: of)
            case .rejected(let file, let reason):
                state.addRejected(file: file, reason: reason)
            }
        }
        days[day] = state
    }

    /// Drops a day from memory; its articles stay known for exact duplicates.
    public mutating func unload(day: String) {
        days[day] = nil
    }
}
