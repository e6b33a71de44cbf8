/// Where a committed article's details live once it has been decided: the day in memory keeps
/// only compact indexes (band keys, story centroids, titles), and reads the rest back from here
/// when a later decision or a digest needs it. The daemon implements this over its SQLite store
/// (inside the commit's transaction, so a rollback undoes the rows too); `MemoryArchive` keeps
/// everything in memory, for tests and for anything that has no store.
public protocol ArticleSource {
    /// The article committed at `position` (0, 1, … in commit order among the day's articles),
    /// with its sentences and topic terms. Its shingles and band keys may be left out.
    func article(day: String, position: Int) throws -> ParsedArticle
    /// Several articles at once (one read of a store), in the order asked.
    func articles(day: String, positions: [Int]) throws -> [ParsedArticle]
}

extension ArticleSource {
    public func articles(day: String, positions: [Int]) throws -> [ParsedArticle] {
        try positions.map { try article(day: day, position: $0) }
    }
}

/// What deciding needs beyond reading: the exact-duplicate lookup across every stored day, the
/// shingles of near-duplicate candidates, and a place to keep what was decided.
public protocol ArticleArchive: ArticleSource {
    /// Whether an article with this id (derived from its exact key) was committed on any day.
    func containsArticle(id: String) throws -> Bool
    /// The shingles of the article committed at `position`.
    func shingles(day: String, position: Int) throws -> [UInt64]
    /// Keeps a newly decided article with its decision.
    mutating func record(_ article: ParsedArticle, day: String, position: Int, decision: DayState.Status, story: Int)
        throws
}

/// Every article whole in memory: for tests, and as the reference the store-backed archive must
/// agree with byte for byte.
public struct MemoryArchive: ArticleArchive, Sendable {
    private var days: [String: [ParsedArticle]] = [:]
    private var ids: Set<String> = []

    public init() {}

    public func article(day: String, position: Int) -> ParsedArticle {
        days[day]![position]
    }

    public func containsArticle(id: String) -> Bool {
        ids.contains(id)
    }

    public func shingles(day: String, position: Int) -> [UInt64] {
        days[day]![position].shingles
    }

    public mutating func record(
        _ article: ParsedArticle, day: String, position: Int, decision: DayState.Status, story: Int
    ) {
        precondition(position == days[day, default: []].count, "articles are recorded in order")
        days[day, default: []].append(article)
        ids.insert(article.id)
    }
}

/// A ledger with its archive in memory: the whole pipeline without a store, as tests use it.
public struct MemoryDays: Sendable {
    public var ledger: Ledger
    public var archive = MemoryArchive()

    public init(options: GroupingOptions = GroupingOptions()) {
        ledger = Ledger(options: options)
    }

    @discardableResult
    public mutating func commit(_ article: ParsedArticle, day: String) -> Decision {
        // MemoryArchive never throws.
        try! ledger.commit(article, day: day, archive: &archive)
    }

    public mutating func reject(file: String, reason: String, day: String) {
        ledger.reject(file: file, reason: reason, day: day)
    }

    public func digest(
        _ day: String, builder: DigestBuilder = DigestBuilder(), history: some StoryHistory = NoStoryHistory()
    ) -> Digest {
        var memo = DigestBuilder.SummaryMemo()
        return digest(day, builder: builder, history: history, memo: &memo)
    }

    /// `history` holds the earlier days' stories that threads go on from (tests pass the
    /// renderings they keep).
    public func digest(
        _ day: String, builder: DigestBuilder, history: some StoryHistory = NoStoryHistory(),
        memo: inout DigestBuilder.SummaryMemo
    ) -> Digest {
        let state = ledger.days[day] ?? DayState(day: day, options: ledger.options)
        return try! builder.build(state, articles: archive, history: history, memo: &memo)
    }
}
