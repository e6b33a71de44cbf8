import Foundation

/// Turns a day's state into its digest: stories ranked, each with a headline, a summary and its
/// sources.
public struct DigestBuilder: Sendable {
    public var budget: SummaryBudget
    public var summarizer: Summarizer

    /// Earlier days whose stories a story's thread may go on from (`grouping.thread_window_days`);
    /// 0: every story starts its own thread.
    public var threadWindow: Int

    /// Threads a digest update summarizes and renders stories on: the result is the same for
    /// any number.
    public var workers = 1

    public init(budget: SummaryBudget = .words(120), threadWindow: Int = 3) {
        self.budget = budget
        self.threadWindow = threadWindow
        // A reader's brief is short, so each sentence must add a fact: a stricter redundancy cut
        // than for a long summary, where partly overlapping sentences still carry new detail.
        var summarizer = Summarizer()
        summarizer.redundancyCut = 0.2
        self.summarizer = summarizer
    }

    public func build(_ day: DayState, articles: some ArticleSource, history: some StoryHistory = NoStoryHistory())
        throws -> Digest
    {
        var memo = SummaryMemo()
        return try build(day.view, articles: articles, history: history, memo: &memo)
    }

    public func build(
        _ day: DayState, articles: some ArticleSource, history: some StoryHistory = NoStoryHistory(),
        memo: inout SummaryMemo
    ) throws -> Digest {
        try build(day.view, articles: articles, history: history, memo: &memo)
    }

    /// Builds the digest, summarizing again only the stories whose summary can have changed
    /// since the build that left `memo`; the others keep theirs. The result is the same as
    /// `build(day)`, byte for byte: a story's summary and headline are functions of its articles
    /// and of which of their lines are their sources' furniture, and the memo's key holds both.
    /// Every story's articles are read from `articles` (what the digest lists of them is not
    /// held in memory): this whole build is the reference the kept renderings must match.
    /// Threads go on from the stories `history` keeps of the days before.
    public func build(
        _ day: DayView, articles source: some ArticleSource, history: some StoryHistory = NoStoryHistory(),
        memo: inout SummaryMemo
    ) throws -> Digest {
        let linker = try ThreadLinker(day: day.day, window: threadWindow, history: history)
        if memo.day != day.day || memo.budget != budget || memo.summarizer != summarizer {
            memo = SummaryMemo(day: day.day, budget: budget, summarizer: summarizer)
        }
        memo.reused = 0
        var all: [(index: Int, members: [Int])] = []
        for (storyIndex, members) in day.stories.enumerated() where !members.isEmpty {
            all.append((storyIndex, members))
        }
        var stories: [(story: Digest.Story, rank: StoryRank)] = []
        try read(day, all, from: source) { storyIndex, members, parsed in
            let (_, thread) = Self.thread(day, members, parsed, linker: linker)
            let said = try thread.previous.flatMap { try history.said(day: $0.day, story: $0.story) }
            let key = SummaryMemo.Key(
                articles: members,
                furniture: Self.sources(day, members).map { day.furnitureGeneration(source: $0) }, said: said)
            let summary: [Digest.Sentence]
            let headline: String
            if let kept = memo.stories[storyIndex], kept.key == key {
                memo.reused += 1
                (summary, headline) = (kept.summary, kept.headline)
            } else {
                (summary, headline, _) = summarize(day, members, parsed, said: said)
                memo.stories[storyIndex] = (key, summary, headline)
            }
            stories.append(
                Self.story(day, members: members, parsed, summary: summary, headline: headline, thread: thread))
        }
        stories.sort { $0.rank < $1.rank }
        let counts = Self.counts(day, stories: stories.count)
        return Digest(
            date: day.day, counts: counts, stories: stories.map(\.story),
            exactDuplicates: day.exactDuplicates.map { Digest.ExactDuplicate(file: $0.file, duplicateOf: $0.of) },
            rejected: day.rejected.map { Digest.Rejected(file: $0.file, reason: $0.reason) })
    }

    /// A story read back: its index, its members' positions and their articles, in order.
    struct ReadStory: Sendable {
        let index: Int
        let members: [Int]
        let parsed: [ParsedArticle]
    }

    /// Reads the given stories' (index, members) articles from `source` in batches of about
    /// `readBatch` (one read of the store each, not one per article) and hands each story with
    /// its articles to `body`, in the order given.
    func read(
        _ day: DayView, _ stories: [(index: Int, members: [Int])], from source: some ArticleSource,
        _ body: (Int, [Int], [ParsedArticle]) throws -> Void
    ) throws {
        try readBatches(day, stories, from: source) { batch in
            for story in batch { try body(story.index, story.members, story.parsed) }
        }
    }

    /// `read`, a batch at a time.
    func readBatches(
        _ day: DayView, _ stories: [(index: Int, members: [Int])], from source: some ArticleSource,
        _ body: ([ReadStory]) throws -> Void
    ) throws {
        var batch: [(index: Int, members: [Int])] = []
        var batchArticles = 0
        for (i, item) in stories.enumerated() {
            batch.append(item)
            batchArticles += item.members.count
            guard batchArticles >= Self.readBatch || i == stories.count - 1 else { continue }
            let read = try source.articles(day: day.day, positions: batch.flatMap(\.members))
            var at = 0
            var stories: [ReadStory] = []
            stories.reserveCapacity(batch.count)
            for (storyIndex, members) in batch {
                stories.append(
                    ReadStory(index: storyIndex, members: members, parsed: Array(read[at..<at + members.count])))
                at += members.count
            }
            try body(stories)
            batch = []
            batchArticles = 0
        }
    }

    /// A story's summary and headline, from its articles as read back, and the terms of the
    /// summary's sentences; `said` is what the thread's brief of the day before told.
    func summarize(_ day: DayView, _ members: [Int], _ parsed: [ParsedArticle], said: [[UInt64]])
        -> ([Digest.Sentence], String, [[UInt64]])
    {
        let chosen = summarizer.summarize(parsed, budget: budget, said: said) { ai, sentence in
            day.isFurniture(source: parsed[ai].source, line: sentence.line)
        }
        let summary = chosen.map {
            Digest.Sentence(text: $0.text, article: parsed[$0.article].id, source: parsed[$0.article].source)
        }
        let saying = chosen.map { c in parsed[c.article].sentences.first { $0.position == c.position }?.terms ?? [] }
        let originals = Self.originals(day, members, parsed)
        let headline = pickHeadline(originals, parsed, summary: summary) { article, sentence in
            day.isFurniture(source: article.source, line: sentence.line)
        }
        return (summary, headline, saying)
    }

    /// A story's articles that are not near duplicates, of `parsed` (its members' articles).
    static func originals(_ day: DayView, _ members: [Int], _ parsed: [ParsedArticle]) -> [ParsedArticle] {
        zip(members, parsed).filter { day.entries[$0.0].status == .new }.map(\.1)
    }

    /// A story's id: its first article's, with "s" for "a".
    static func storyID(_ day: DayView, _ members: [Int]) -> String {
        "s" + String(day.entries[members[0]].id.dropFirst())
    }

    /// A story's `StoryVector` (from its originals) and the thread it goes on.
    static func thread(_ day: DayView, _ members: [Int], _ parsed: [ParsedArticle], linker: ThreadLinker)
        -> ([TermWeight], StoryThread)
    {
        let vector = StoryVector.of(originals(day, members, parsed))
        return (vector, linker.thread(story: storyID(day, members), vector: vector))
    }

    /// A story of the day as the digest shows it, and where it ranks; `parsed` are its
    /// members' articles as read back, in order.
    static func story(
        _ day: DayView, members: [Int], _ parsed: [ParsedArticle], summary: [Digest.Sentence], headline: String,
        thread: StoryThread
    ) -> (Digest.Story, StoryRank) {
        var articles: [Digest.Article] = []
        articles.reserveCapacity(members.count)
        for (position, article) in zip(members, parsed) {
            var duplicateOf: String?
            if case .nearDuplicate(let of) = day.entries[position].status { duplicateOf = day.entries[of].id }
            articles.append(
                Digest.Article(
                    id: article.id, file: article.file, source: article.source, title: article.title,
                    duplicateOf: duplicateOf, url: article.url))
        }
        let sources = Self.sources(day, members)
        let story = Digest.Story(
            id: storyID(day, members), thread: thread, headline: headline, sources: sources,
            summary: summary, articles: articles)
        let rank = StoryRank(
            sources: sources.count, articles: articles.count, latest: members.max() ?? 0, id: story.id)
        return (story, rank)
    }

    static func counts(_ day: DayView, stories: Int) -> Digest.Counts {
        var counts = Digest.Counts()
        counts.stories = stories
        counts.articles = day.entries.count
        counts.nearDuplicates = day.entries.count { $0.status != .new }
        counts.exactDuplicates = day.exactDuplicates.count
        counts.rejected = day.rejected.count
        counts.files = counts.articles + counts.exactDuplicates + counts.rejected
        return counts
    }

    /// How many articles one read of the source brings at most: what a rewrite holds of the
    /// day's text at once.
    static let readBatch = 32
    /// Rendered bytes kept in hand before they are saved (a day of 100k files renders ~47 MB).
    static let saveBytes = 2 << 20

    /// A story's sources, each once, in the order its articles name them.
    static func sources(_ day: DayView, _ members: [Int]) -> [String] {
        var ids: [Int32] = []
        for m in members where !ids.contains(day.entries[m].sourceID) { ids.append(day.entries[m].sourceID) }
        return ids.map { day.sourceNames[Int($0)] }
    }

    /// The summaries and headlines of one day's last build, so a day that grows by a few articles is not
    /// summarized whole again on every rewrite (the daemon keeps one per day it writes).
    public struct SummaryMemo: Sendable {
        struct Key: Equatable, Sendable {
            /// The story's articles (their positions in the day), in order: a story only ever
            /// gains articles, and a position is never reused within a day.
            let articles: [Int]
            /// `furnitureGeneration` of each of the story's sources.
            let furniture: [Int]
            /// What the thread's brief of the day before said.
            let said: [[UInt64]]
        }

        var day: String?
        var budget: SummaryBudget?
        var summarizer: Summarizer?
        var stories: [Int: (key: Key, summary: [Digest.Sentence], headline: String)] = [:]
        /// How many stories the last build took from the memo.
        public internal(set) var reused = 0

        public init() {}

        init(day: String, budget: SummaryBudget, summarizer: Summarizer) {
            self.day = day
            self.budget = budget
            self.summarizer = summarizer
        }
    }

    /// The title of the article most like the story as a whole, cleaned of outlet decorations;
    /// without any title, the summary's first sentence. Only the story's own articles count, so
    /// a story's headline stays put while other stories grow. `originals` are its articles that
    /// are not near duplicates, `articles` all of them, in order.
    func pickHeadline(
        _ originals: [ParsedArticle], _ articles: [ParsedArticle], summary: [Digest.Sentence],
        furniture: (ParsedArticle, ParsedSentence) -> Bool = { _, _ in false }
    ) -> String {
        let scores = Self.centralities(originals)
        var best: (title: String, score: Float)?
        for (article, score) in zip(originals, scores) {
            let title = Headline.clean(article.title)
            guard !title.isEmpty else { continue }
            if best == nil || score > best!.score { best = (title, score) }
        }
        if best == nil {
            for article in articles {
                let title = Headline.clean(article.title)
                if !title.isEmpty {
                    best = (title, 0)
                    break
                }
            }
        }
        if let best { return best.title }
        // No title: the sentence short enough to read as a headline whole that is most like the
        // story as a whole, from the brief and the articles' leads; cut at a clause only when
        // none is short enough.
        if let whole = Self.centralShortSentence(originals, summary: summary, furniture: furniture) { return whole }
        if let first = summary.first { return Headline.fromSentence(first.text) }
        if let sentence = articles.lazy.flatMap(\.sentences).first {
            return Headline.fromSentence(sentence.text)
        }
        return "(untitled)"
    }
}

/// Where a story ranks in its day's digest. Best first: reported by more outlets, then bigger,
/// then more recent; the id breaks ties.
public struct StoryRank: Comparable, Sendable {
    public let sources: Int
    public let articles: Int
    /// The position of its latest article in the day.
    public let latest: Int
    public let id: String

    public init(sources: Int, articles: Int, latest: Int, id: String) {
        self.sources = sources
        self.articles = articles
        self.latest = latest
        self.id = id
    }

    public static func < (a: StoryRank, b: StoryRank) -> Bool {
        if a.sources != b.sources { return a.sources > b.sources }
        if a.articles != b.articles { return a.articles > b.articles }
        if a.latest != b.latest { return a.latest > b.latest }
        // Byte order, as a store's ORDER BY gives it (ids are ASCII: the same as String's).
        return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }
}

extension DigestBuilder {
    /// Of the brief's sentences and the first five of each article (those fit to quote), the
    /// one short enough for a headline whose terms are most like the story's topic; ties go to
    /// the earlier.
    static func centralShortSentence(
        _ originals: [ParsedArticle], summary: [Digest.Sentence], furniture: (ParsedArticle, ParsedSentence) -> Bool
    ) -> String? {
        let centroid = topicSum(originals.map { StoryIndex.unitVector($0.terms) })
        let briefTexts = Set(summary.map(\.text))
        var best: (text: String, score: Float)?
        for a in originals {
            for s in a.sentences where s.isCandidate && (s.position < 5 || briefTexts.contains(s.text)) {
                // A source's standing line ("Follow us for more") is never a story's headline.
                guard !furniture(a, s) else { continue }
                guard Headline.fitsWhole(s.text), !s.terms.isEmpty else { continue }
                var counts: [UInt64: Float] = [:]
                for t in s.terms { counts[t, default: 0] += 1 }
                // In term order, so the sums round the same way every run.
                let ordered = counts.sorted { $0.key < $1.key }
                let norm = ordered.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
                let dot = ordered.reduce(Float(0)) { $0 + $1.value * (centroid[$1.key] ?? 0) }
                let score = dot / norm
                if best == nil || score > best!.score { best = (s.text, score) }
            }
        }
        return best?.text
    }

    /// The sum of unit topic vectors, in the order given: a story's topic.
    static func topicSum(_ vectors: [[TermWeight]]) -> [UInt64: Float] {
        var sum: [UInt64: Float] = [:]
        for v in vectors {
            for t in v { sum[t.term, default: 0] += t.weight }
        }
        return sum
    }

    /// Each article's cosine with the sum of the other articles' unit topic vectors: how much of
    /// what the rest of the story says it says (itself left out, or every lone voice would count
    /// as central).
    static func centralities(_ articles: [ParsedArticle]) -> [Float] {
        let vectors = articles.map { StoryIndex.unitVector($0.terms) }
        let centroid = topicSum(vectors)
        // Summed in term order: the dictionary's own order is seeded per process, and a sum in
        // another order can round differently and swap near-tied titles between runs.
        let squared = centroid.sorted { $0.key < $1.key }.reduce(Float(0)) { $0 + $1.value * $1.value }
        return vectors.map { v in
            guard !v.isEmpty else { return 0 }
            // With c the sum of all and v unit length: v·(c − v) = v·c − 1, |c − v|² = |c|² − 2 v·c + 1.
            let vc = v.reduce(Float(0)) { $0 + $1.weight * (centroid[$1.term] ?? 0) }
            let others = squared - 2 * vc + 1
            return others > 1e-6 ? (vc - 1) / others.squareRoot() : 0
        }
    }
}

/// Headline clean-up: scrapers keep the site's decorations ("UPDATE 2-", " | Outlet").
public enum Headline {
    static let prefixes = [
        "update:", "update -", "updated:", "breaking:", "breaking news:", "watch:", "exclusive:",
        "live:", "live updates:", "video:", "analysis:", "opinion:",
    ]

    public static func clean(_ title: String) -> String {
        var t = title.trimmingCharacters(in: " ")
        var changed = true
        while changed {
            changed = false
            let lower = Boilerplate.asciiLower(t)
            for p in prefixes where lower.hasPrefix(p) {
                t = String(t.dropFirst(p.count)).trimmingCharacters(in: " ")
                changed = true
            }
            // "UPDATE 2-Headline"
            if lower.hasPrefix("update "), let dash = t.firstIndex(of: "-"),
                t.distance(from: t.startIndex, to: dash) <= 10
            {
                t = String(t[t.index(after: dash)...]).trimmingCharacters(in: " ")
                changed = true
            }
        }
        for separator in [" | ", " - ", " \u{2014} "] {
            guard let range = t.range(of: separator, options: .backwards) else { continue }
            let tail = t[range.upperBound...]
            let head = t[..<range.lowerBound]
            if Tokenizer.budgetWords(String(tail)) <= 4 && Tokenizer.budgetWords(String(head)) >= 4 {
                t = String(head)
            }
        }
        for suffix in [" (updated)", " (update)", " (video)", " (photos)"]
        where Boilerplate.asciiLower(t).hasSuffix(suffix) {
            t = String(t.dropLast(suffix.count))
        }
        return t.trimmingCharacters(in: " ")
    }

    /// The most words a headline has.
    static let maxWords = 16

    /// A sentence short enough to be a headline as it is.
    static func fitsWhole(_ s: String) -> Bool {
        let words = s.split(separator: " ").count
        return words >= 4 && words <= maxWords
    }

    /// A sentence cut to a headline's length: at its last clause boundary (",", ";", ":" or a
    /// dash) within the length when the clause is long enough to say something and is not an
    /// opening phrase ("When …,", "In a …,"), else at a word boundary, marked "...".
    static func fromSentence(_ s: String) -> String {
        let words = s.split(separator: " ")
        if words.count <= maxWords { return s }
        let opening: Set<String> = [
            "When", "If", "As", "After", "Before", "While", "Although", "Though", "Because", "Since", "In", "On",
            "At", "For", "With", "By", "From", "During", "Despite", "Under", "Until", "Unless", "Once",
        ]
        for end in stride(from: maxWords, through: 6, by: -1) where !opening.contains(String(words[0])) {
            let word = words[end - 1]
            if word.count > 1, let last = word.last, [",", ";", ":"].contains(last) {
                return words.prefix(end - 1).joined(separator: " ") + " " + word.dropLast()
            }
            if end < words.count, ["\u{2014}", "-", "\u{2013}"].contains(String(words[end])) {
                return words.prefix(end).joined(separator: " ")
            }
        }
        return words.prefix(14).joined(separator: " ") + " ..."
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
