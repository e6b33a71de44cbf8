import Foundation

/// Online story grouping: each new article joins the story whose TF-IDF centroid it is most
/// like, or starts a story of its own. Candidate stories come from an inverted index over the
/// centroids' terms, so the cost per article depends on the stories that share its words, not
/// on how many stories the day holds.
///
/// Terms are interned into dense ids in the order the day first sees them. Document
/// frequencies, postings and the query are then arrays indexed by id: scoring a candidate reads
/// arrays only, where hashed lookups per term were most of the grouping's time. Sums run in
/// stored order, so a score is the same on every run (no hash-seeded iteration order).
public struct StoryIndex: Sendable {
    /// A term by its id in this index, with its weight.
    struct Weight: Sendable {
        let id: Int32
        let weight: Float
    }

    public struct Story: Sendable {
        /// Sum of the members' unit topic vectors (before IDF): term ids in the order the story
        /// gained them, with `weights` alongside.
        var terms: [Int32] = []
        var weights: [Float] = []
        public var members: [Int] = []
        /// Unit topic vectors of the latest members (a bounded window), for the nearest-member
        /// half of the similarity, one after another: each term as its place in `terms` (every
        /// member's terms are in the centroid, which never loses one), with `recentWeights`
        /// alongside and `recentEnds` where each member ends. 2 + 4 bytes a term and no array
        /// per member: the window was a third of a 100k day's memory as arrays of (id, weight).
        /// Empty while one article alone makes the centroid: its vector then is the centroid,
        /// the same ids and weights in the same order, and most stories of a day stay that way.
        var recentSlots: [UInt16] = []
        /// The same places, for a story whose centroid outgrew 16 bits (`wide`).
        var recentWideSlots: [UInt32] = []
        var recentWeights: [Float] = []
        var recentEnds: [Int32] = []
        var wide = false
        var recentCount: Int { recentEnds.count }
        /// Articles that moved the centroid (near duplicates do not).
        var joined: Int32 = 0
        var firstDay: Int?
        var lastDay: Int?
    }

    public var threshold: Float
    /// Articles whose publication days lie further apart than this are never one story.
    public var dayGate: Int
    public private(set) var stories: [Story] = []
    /// Term ids are the table's entry numbers.
    private var ids = KeyTable<Void>(capacity: 4096)
    /// By term id: the first story whose centroid holds the term (-1: none yet), and the
    /// index in `morePostings` of the others, if any (-1: none). Most of a day's terms are in
    /// one story only, and an array for each cost 50 bytes of header and allocation.
    private var firstPosting: [Int32] = []
    private var postingsMore: [Int32] = []
    /// The stories after the first, for terms in more than one story, in the order they gained it.
    private var morePostings: [[Int32]] = []
    /// By term id: how many articles hold the term.
    private var documentFrequency: [Int32] = []
    /// By term id: the article being assigned, IDF-weighted; zero everywhere between calls.
    private var query: [Float] = []
    /// By story: how strongly the article being assigned points at it; zero between calls.
    private var support: [Float] = []
    /// By term id: the term's place in the centroid a member is being added to, -1 between
    /// calls (a map per story cost more than the centroid itself).
    private var slot: [Int32] = []
    private var documents: Int = 0 {
        didSet {
            // A document frequency is at most the number of documents, so the table of
            // log(df + 1) grows by one entry per article (4 bytes) and holds every df asked for.
            while logs.count <= documents { logs.append(logf(Float(logs.count) + 1)) }
            logDocuments = logs[documents]
        }
    }
    private var logDocuments: Float = 0
    /// log(k + 1) for k in 0...documents: idf is computed for every term of every candidate
    /// story, and logf was a tenth of the run; past 4,096 articles, common terms' df went past
    /// a fixed table and each of their idfs called logf again.
    private var logs: [Float] = [0]

    public init(threshold: Float = 0.3, dayGate: Int = 3) {
        self.threshold = threshold
        self.dayGate = dayGate
    }

    /// How many of the article's strongest terms are used to look up candidate stories.
    static let lookupTerms = 24
    /// How many candidate stories are scored in full.
    static let scoredCandidates = 12
    /// A term in more stories than this is too common to find anything by.
    static let maxPosting = 4000

    /// Adds a new (non-duplicate) article and returns the index of its story.
    public mutating func assign(_ article: ParsedArticle, index: Int) -> Int {
        assign(terms: article.terms, publishedDay: article.publishedDay, index: index)
    }

    /// Adds a new article by its topic vector (sorted by term) and publication day.
    public mutating func assign(terms: [TermWeight], publishedDay: Int?, index: Int) -> Int {
        let unit = count(terms)
        var norm: Float = 0
        var strongest: [(id: Int32, term: UInt64, weight: Float)] = []
        strongest.reserveCapacity(unit.count)
        for (t, term) in zip(unit, terms) {
            let w = t.weight * idf(t.id)
            query[Int(t.id)] = w
            norm += w * w
            strongest.append((t.id, term.term, w))
        }
        norm = norm.squareRoot()

        // Stories sharing the article's strongest terms, best-supported first; only the top few
        // are scored in full, so the cost per article stays bounded however busy the day is.
        strongest.sort { $0.weight > $1.weight || ($0.weight == $1.weight && $0.term < $1.term) }
        var supported: [Int32] = []
        for t in strongest.prefix(Self.lookupTerms) {
            let first = firstPosting[Int(t.id)]
            guard first >= 0 else { continue }
            let more = postingsMore[Int(t.id)]
            if more >= 0 {
                guard morePostings[Int(more)].count + 1 <= Self.maxPosting else { continue }
            }
            // Weights are positive (idf ≥ 1), so zero means "not reached yet".
            if support[Int(first)] == 0 { supported.append(first) }
            support[Int(first)] += t.weight
            guard more >= 0 else { continue }
            for story in morePostings[Int(more)] {
                if support[Int(story)] == 0 { supported.append(story) }
                support[Int(story)] += t.weight
            }
        }
        let candidates = Self.best(Self.scoredCandidates, of: supported, by: support).sorted()
        for story in supported { support[Int(story)] = 0 }
        let best = norm > 0 ? bestStory(candidates, norm: norm, day: publishedDay, query: query) : nil
        for t in unit { query[Int(t.id)] = 0 }
        let target = best ?? stories.count
        join(unit, publishedDay: publishedDay, index: index, story: target)
        return target
    }

    /// The `k` stories with the most support (the lower index first among equals), in no
    /// particular order: a busy day's common terms reach thousands of stories, and sorting
    /// them all to keep twelve was a twentieth of the run.
    static func best(_ k: Int, of stories: [Int32], by support: [Float]) -> [Int32] {
        func before(_ a: Int32, _ b: Int32) -> Bool {
            let (x, y) = (support[Int(a)], support[Int(b)])
            return x > y || (x == y && a < b)
        }
        guard stories.count > k else { return stories }
        // Kept sorted best first; a story enters only if it beats the last kept.
        var kept: [Int32] = []
        kept.reserveCapacity(k + 1)
        for story in stories {
            if kept.count == k {
                guard before(story, kept[k - 1]) else { continue }
                kept.removeLast()
            }
            var at = kept.count
            while at > 0 && before(story, kept[at - 1]) { at -= 1 }
            kept.insert(story, at: at)
        }
        return kept
    }

    /// Adds an article to the story it was given when it was first decided (a day rebuilt from
    /// the store): the index ends as it was then, without deciding again.
    public mutating func restore(terms: [TermWeight], publishedDay: Int?, index: Int, story: Int) {
        precondition(story <= stories.count, "stories are restored in the order they were made")
        join(count(terms), publishedDay: publishedDay, index: index, story: story)
    }

    /// Adds an article to its story's members only (a day rebuilt to be shown, not decided on:
    /// no centroid, no postings).
    public mutating func restoreMembership(index: Int, story: Int) {
        precondition(story <= stories.count, "stories are restored in the order they were made")
        if story == stories.count {
            stories.append(Story())
            support.append(0)
        }
        stories[story].members.append(index)
    }

    /// Counts the article's terms in the document frequencies and returns its unit vector.
    private mutating func count(_ terms: [TermWeight]) -> [Weight] {
        documents += 1
        let termIDs = terms.map { intern($0.term) }
        for id in termIDs { documentFrequency[Int(id)] += 1 }
        return zip(termIDs, Self.unitVector(terms)).map { Weight(id: $0, weight: $1.weight) }
    }

    private mutating func join(_ unit: [Weight], publishedDay: Int?, index: Int, story target: Int) {
        if target == stories.count {
            var story = Story()
            // Most stories keep the one article that made them: no room to grow by default.
            story.terms.reserveCapacity(unit.count)
            story.weights.reserveCapacity(unit.count)
            stories.append(story)
            support.append(0)
        }
        // Taken out of the array while it changes, so its arrays are unique and change in place
        // (through `stories[target]`, every write checked and could copy them).
        var story = stories[target]
        stories[target] = Story()
        if story.joined == 1 {
            // The one member so far is the centroid itself: places 0, 1, 2, ...
            let n = story.terms.count
            Self.appendRecent(to: &story, count: n, weights: story.weights) { $0 }
        }
        add(unit, to: &story, index: target, keepingRecent: story.joined >= 1)
        story.members.append(index)
        story.joined += 1
        if story.recentCount > Self.recentWindow { Self.dropOldestRecent(of: &story) }
        if let day = publishedDay {
            story.firstDay = min(story.firstDay ?? day, day)
            story.lastDay = max(story.lastDay ?? day, day)
        }
        stories[target] = story
    }

    /// Records a near duplicate in its original's story without moving the centroid: a copy
    /// adds no new evidence about what the story is.
    public mutating func attach(index: Int, toStory story: Int) {
        stories[story].members.append(index)
    }

    /// How much of the similarity is the centroid's; the rest is the nearest recent member's.
    /// The centroid alone drifts toward what all stories of a kind share ("rehab", "quake"); the
    /// nearest member keeps the names and numbers of one event in play.
    static let centroidShare: Float = 0.5
    static let recentWindow = 24

    /// The candidate most like the article, if any reaches the threshold; among equals, the
    /// lowest story index. `query` is passed in (borrowed) so that clearing it afterwards does
    /// not copy it.
    ///
    /// The centroid half of each candidate's similarity comes first. A cosine is at most 1, so
    /// a candidate whose centroid half cannot reach the threshold, or the best so far, even with
    /// a perfect nearest member is never compared member by member: the same answer, without
    /// most of the member comparisons, which were the larger part of assigning an article.
    private func bestStory(_ candidates: [Int32], norm: Float, day: Int?, query: [Float]) -> Int? {
        var centroids: [(story: Int32, similarity: Float)] = []
        centroids.reserveCapacity(candidates.count)
        for c in candidates where withinGate(stories[Int(c)], day) {
            centroids.append((c, similarity(stories[Int(c)], norm: norm) { query[Int($0)] }))
        }
        centroids.sort { $0.similarity > $1.similarity || ($0.similarity == $1.similarity && $0.story < $1.story) }
        var best: (story: Int32, similarity: Float)?
        for (c, centroid) in centroids {
            // Rounding can take a cosine a little over 1; never by a thousandth.
            let bound = Self.centroidShare * centroid + (1 - Self.centroidShare) * 1.001
            if bound < threshold { break }
            if let best, bound < best.similarity { break }
            let s =
                Self.centroidShare * centroid
                + (1 - Self.centroidShare) * nearestMember(stories[Int(c)], norm: norm, query: query)
            guard s >= threshold else { continue }
            if best == nil || s > best!.similarity || (s == best!.similarity && c < best!.story) { best = (c, s) }
        }
        return best.map { Int($0.story) }
    }

    private func nearestMember(_ story: Story, norm: Float, query: [Float]) -> Float {
        if story.recentEnds.isEmpty {
            // One member: its vector is the centroid.
            var dot: Float = 0
            var memberNorm: Float = 0
            for (id, w) in zip(story.terms, story.weights) {
                let x = w * idf(id)
                memberNorm += x * x
                dot += query[Int(id)] * x
            }
            return dot > 0 ? dot / (norm * memberNorm.squareRoot()) : 0
        }
        return story.wide
            ? nearestMember(story, story.recentWideSlots, norm: norm, query: query)
            : nearestMember(story, story.recentSlots, norm: norm, query: query)
    }

    private func nearestMember<Slot: FixedWidthInteger>(
        _ story: Story, _ slots: [Slot], norm: Float, query: [Float]
    ) -> Float {
        var best: Float = 0
        var start = 0
        for end in story.recentEnds {
            var dot: Float = 0
            var memberNorm: Float = 0
            for i in start..<Int(end) {
                let id = story.terms[Int(slots[i])]
                let x = story.recentWeights[i] * idf(id)
                memberNorm += x * x
                dot += query[Int(id)] * x
            }
            start = Int(end)
            guard dot > 0 else { continue }
            best = max(best, dot / (norm * memberNorm.squareRoot()))
        }
        return best
    }

    /// Appends a member of `count` terms to the story's window: `place(i)` is term i's place
    /// in the centroid.
    private static func appendRecent<W: Collection<Float>>(
        to story: inout Story, count: Int, weights: W, place: (Int) -> Int
    ) {
        if !story.wide && story.terms.count > Int(UInt16.max) + 1 {
            story.wide = true
            story.recentWideSlots = story.recentSlots.map(UInt32.init)
            story.recentSlots = []
        }
        // Grown by a quarter, as centroids are: doubling left up to half of each window unused.
        let needed = story.recentWeights.count + count
        if needed > story.recentWeights.capacity {
            let capacity = max(needed, story.recentWeights.count + story.recentWeights.count / 4)
            story.recentWeights.reserveCapacity(capacity)
            if story.wide {
                story.recentWideSlots.reserveCapacity(capacity)
            } else {
                story.recentSlots.reserveCapacity(capacity)
            }
        }
        if story.wide {
            for i in 0..<count { story.recentWideSlots.append(UInt32(place(i))) }
        } else {
            for i in 0..<count { story.recentSlots.append(UInt16(place(i))) }
        }
        story.recentWeights.append(contentsOf: weights)
        story.recentEnds.append(Int32(story.recentWeights.count))
    }

    private static func dropOldestRecent(of story: inout Story) {
        let n = Int(story.recentEnds[0])
        if story.wide {
            story.recentWideSlots.removeFirst(n)
        } else {
            story.recentSlots.removeFirst(n)
        }
        story.recentWeights.removeFirst(n)
        story.recentEnds.removeFirst()
        for i in story.recentEnds.indices { story.recentEnds[i] -= Int32(n) }
    }

    /// Cosine of an IDF-weighted article (its weight by term id, and its length) with a story
    /// centroid weighted by today's IDF.
    @inline(__always)
    private func similarity(_ story: Story, norm: Float, weightOf query: (Int32) -> Float) -> Float {
        var dot: Float = 0
        var centroidNorm: Float = 0
        for (id, w) in zip(story.terms, story.weights) {
            let x = w * idf(id)
            centroidNorm += x * x
            dot += query(id) * x
        }
        guard dot > 0 else { return 0 }
        return dot / (norm * centroidNorm.squareRoot())
    }

    /// Smoothed inverse document frequency over the articles seen so far.
    private func idf(_ id: Int32) -> Float {
        let df = Int(documentFrequency[Int(id)])
        return logDocuments - logs[df] + 1
    }

    private mutating func intern(_ term: UInt64) -> Int32 {
        let (index, added) = ids.index(of: term, adding: ())
        let id = Int32(index)
        guard added else { return id }
        documentFrequency.append(0)
        firstPosting.append(-1)
        postingsMore.append(-1)
        query.append(0)
        slot.append(-1)
        return id
    }

    /// Adds a member's unit vector to the centroid, and to the window of recent members when
    /// `keepingRecent` (the story had a member already).
    private mutating func add(_ unit: [Weight], to story: inout Story, index target: Int, keepingRecent: Bool) {
        for (i, id) in story.terms.enumerated() { slot[Int(id)] = Int32(i) }
        // Centroids are most of a large day's memory, and an array grown by appending doubles:
        // up to half of each would be room never used. They grow by a quarter instead.
        var fresh = 0
        for t in unit where slot[Int(t.id)] < 0 { fresh += 1 }
        let needed = story.terms.count + fresh
        if needed > story.terms.capacity {
            let capacity = max(needed, story.terms.count + story.terms.count / 4)
            story.terms.reserveCapacity(capacity)
            story.weights.reserveCapacity(capacity)
        }
        for t in unit {
            let at = slot[Int(t.id)]
            if at >= 0 {
                story.weights[Int(at)] += t.weight
            } else {
                slot[Int(t.id)] = Int32(story.terms.count)
                story.terms.append(t.id)
                story.weights.append(t.weight)
                addPosting(Int32(target), term: t.id)
            }
        }
        if keepingRecent {
            Self.appendRecent(to: &story, count: unit.count, weights: unit.lazy.map(\.weight)) {
                Int(slot[Int(unit[$0].id)])
            }
        }
        for id in story.terms { slot[Int(id)] = -1 }
    }

    private mutating func addPosting(_ story: Int32, term id: Int32) {
        if firstPosting[Int(id)] < 0 {
            firstPosting[Int(id)] = story
        } else if postingsMore[Int(id)] < 0 {
            postingsMore[Int(id)] = Int32(morePostings.count)
            morePostings.append([story])
        } else {
            morePostings[Int(postingsMore[Int(id)])].append(story)
        }
    }

    private func withinGate(_ story: Story, _ day: Int?) -> Bool {
        guard let day, let first = story.firstDay, let last = story.lastDay else { return true }
        return day >= first - dayGate && day <= last + dayGate
    }

    static func unitVector(_ terms: [TermWeight]) -> [TermWeight] {
        let norm = terms.reduce(Float(0)) { $0 + $1.weight * $1.weight }.squareRoot()
        guard norm > 0 else { return [] }
        return terms.map { TermWeight(term: $0.term, weight: $0.weight / norm) }
    }
}
