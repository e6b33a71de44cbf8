import Foundation

/// Online story grouping: each new article joins the story whose TF-IDF centroid it is most
/// like, or starts a story of its own. Candidate stories come from an inverted index over the
/// centroids' terms, so the cost per article depends on the stories that share its words, not
/// on how many stories the day holds.
public struct StoryIndex: Sendable {
    public struct Story: Sendable {
        /// Sum of the members' unit topic vectors (before IDF), by term.
        var centroid: [UInt64: Float] = [:]
        public var members: [Int] = []
        /// Unit topic vectors of the latest members (a bounded window), for the nearest-member
        /// half of the similarity.
        var recent: [[TermWeight]] = []
        var firstDay: Int?
        var lastDay: Int?
    }

    public var threshold: Float
    /// Articles whose publication days lie further apart than this are never one story.
    public var dayGate: Int
    public private(set) var stories: [Story] = []
    private var postings: [UInt64: [Int32]] = [:]
    private var documentFrequency: [UInt64: Int32] = [:]
    private var documents: Int = 0 {
        didSet { logDocuments = logf(Float(documents) + 1) }
    }
    private var logDocuments: Float = 0

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
        documents += 1
        for t in article.terms { documentFrequency[t.term, default: 0] += 1 }
        let unit = Self.unitVector(article.terms)
        let (weighted, norm) = idfWeighted(unit)

        // Stories sharing the article's strongest terms, best-supported first; only the top few
        // are scored in full, so the cost per article stays bounded however busy the day is.
        var support: [Int32: Float] = [:]
        for t in weighted.sorted(by: { $0.weight > $1.weight || ($0.weight == $1.weight && $0.term < $1.term) })
            .prefix(Self.lookupTerms)
        {
            guard let list = postings[t.term], list.count <= Self.maxPosting else { continue }
            for story in list { support[story, default: 0] += t.weight }
        }
        let candidates = support.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .prefix(Self.scoredCandidates).map(\.key).sorted()
        var best: (story: Int, similarity: Float)?
        if norm > 0 {
            for c in candidates {
                let story = stories[Int(c)]
                guard withinGate(story, article.publishedDay) else { continue }
                let s =
                    Self.centroidShare * similarity(weighted, norm: norm, story)
                    + (1 - Self.centroidShare) * nearestMember(weighted, norm: norm, story)
                if s >= threshold && (best == nil || s > best!.similarity) { best = (Int(c), s) }
            }
        }
        let target: Int
        if let best {
            target = best.story
        } else {
            target = stories.count
            stories.append(Story())
        }
        for t in unit {
            if stories[target].centroid[t.term] == nil {
                postings[t.term, default: []].append(Int32(target))
            }
            stories[target].centroid[t.term, default: 0] += t.weight
        }
        stories[target].members.append(index)
        stories[target].recent.append(unit)
        if stories[target].recent.count > Self.recentWindow { stories[target].recent.removeFirst() }
        if let day = article.publishedDay {
            stories[target].firstDay = min(stories[target].firstDay ?? day, day)
            stories[target].lastDay = max(stories[target].lastDay ?? day, day)
        }
        return target
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

    func nearestMember(_ weighted: [(term: UInt64, weight: Float)], norm: Float, _ story: Story) -> Float {
        var best: Float = 0
        var query: [UInt64: Float] = [:]
        for t in weighted { query[t.term] = t.weight }
        for member in story.recent {
            var dot: Float = 0
            var memberNorm: Float = 0
            for t in member {
                let x = t.weight * idf(t.term)
                memberNorm += x * x
                if let q = query[t.term] { dot += q * x }
            }
            guard dot > 0 else { continue }
            best = max(best, dot / (norm * memberNorm.squareRoot()))
        }
        return best
    }

    /// Smoothed inverse document frequency over the articles seen so far.
    func idf(_ term: UInt64) -> Float {
        let df = Int(documentFrequency[term] ?? 0)
        let logDF = df < Self.logTable.count ? Self.logTable[df] : logf(Float(df) + 1)
        return logDocuments - logDF + 1
    }

    /// log(df + 1) for the document frequencies most terms have: idf is computed for every term
    /// of every candidate story, and logf was a tenth of the run.
    static let logTable: [Float] = (0..<4096).map { logf(Float($0) + 1) }

    /// Cosine of an article's TF-IDF vector with a story centroid weighted by today's IDF.
    func similarity(_ weighted: [(term: UInt64, weight: Float)], norm: Float, _ story: Story) -> Float {
        var dot: Float = 0
        for t in weighted {
            if let c = story.centroid[t.term] { dot += t.weight * c * idf(t.term) }
        }
        guard dot > 0 else { return 0 }
        var centroidNorm: Float = 0
        for (term, w) in story.centroid {
            let x = w * idf(term)
            centroidNorm += x * x
        }
        return dot / (norm * centroidNorm.squareRoot())
    }

    /// Cosine of an article with one of the stories (for picking a story's most central article).
    public func centrality(_ article: ParsedArticle, story: Int) -> Float {
        let (weighted, norm) = idfWeighted(Self.unitVector(article.terms))
        guard norm > 0 else { return 0 }
        return similarity(weighted, norm: norm, stories[story])
    }

    private func withinGate(_ story: Story, _ day: Int?) -> Bool {
        guard let day, let first = story.firstDay, let last = story.lastDay else { return true }
        return day >= first - dayGate && day <= last + dayGate
    }

    /// A unit topic vector weighted by today's IDF, and its length.
    func idfWeighted(_ unit: [TermWeight]) -> (vector: [(term: UInt64, weight: Float)], norm: Float) {
        let weighted = unit.map { (term: $0.term, weight: $0.weight * idf($0.term)) }
        return (weighted, weighted.reduce(Float(0)) { $0 + $1.weight * $1.weight }.squareRoot())
    }

    static func unitVector(_ terms: [TermWeight]) -> [TermWeight] {
        let norm = terms.reduce(Float(0)) { $0 + $1.weight * $1.weight }.squareRoot()
        guard norm > 0 else { return [] }
        return terms.map { TermWeight(term: $0.term, weight: $0.weight / norm) }
    }
}
