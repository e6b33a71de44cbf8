import Foundation

/// How long a summary may be.
public enum SummaryBudget: Sendable, Equatable {
    /// At most this many whitespace-separated words, in whole sentences.
    case words(Int)
    /// At most this many sentences.
    case sentences(Int)
}

/// A sentence chosen for a summary, with where it came from.
public struct SummarySentence: Sendable, Equatable {
    public let text: String
    /// Index into the articles handed to the summarizer.
    public let article: Int
    public let position: Int
}

/// Multi-document extractive summarizing: the sentences that say what most of the articles say,
/// leaning to where news puts the point (the lead), each fact once, in reading order.
///
/// Centrality is the cosine of a sentence with the story centroid (the mean of the articles'
/// unit TF-IDF vectors, IDF over the story's sentences), so a fact several outlets report
/// outweighs one outlet's aside. Selection is greedy with a redundancy penalty (MMR) and a hard
/// similarity cut, so the same wire sentence from two outlets is picked once.
public struct Summarizer: Sendable, Equatable {
    public var leadWeight: Double = 1.0
    public var leadDecay: Double = 4.0
    public var redundancyPenalty: Double = 0.6
    public var redundancyCut: Double = 0.3
    /// Sentences shorter than this many words are scored down in proportion.
    public var shortSentence = 10

    public init() {}

    struct Candidate {
        let article: Int
        let sentence: ParsedSentence
        let vector: [(Int32, Float)]
        var score: Double
    }

    /// - Parameters:
    ///   - said: the terms of sentences a reader has already been told (the brief of the day
    ///     before on the same thread): a sentence like one of them is scored down as a repeat
    ///     is, but not cut, so what is new comes first and a story with nothing new still has
    ///     a brief.
    ///   - excluded: sentences never to quote (a source's recurring furniture lines).
    public func summarize(
        _ articles: [ParsedArticle], budget: SummaryBudget, said: [[UInt64]] = [],
        excluded: (_ article: Int, _ sentence: ParsedSentence) -> Bool = { _, _ in false }
    ) -> [SummarySentence] {
        // Term ids in the order the story first uses them; df and the last sentence that
        // counted a term, by id (arrays, not hashed maps: this runs for every story written).
        var termIndex = KeyTable<Void>(capacity: 1024)
        var df: [Int32] = []
        var countedIn: [Int32] = []
        var sentenceCount = 0
        for article in articles {
            for s in article.sentences {
                sentenceCount += 1
                for t in s.terms {
                    let (index, added) = termIndex.index(of: t, adding: ())
                    if added {
                        df.append(0)
                        countedIn.append(0)
                    }
                    if countedIn[index] != Int32(sentenceCount) {
                        countedIn[index] = Int32(sentenceCount)
                        df[index] += 1
                    }
                }
            }
        }
        guard sentenceCount > 0 else { return [] }
        var idf = [Float](repeating: 0, count: termIndex.count)
        for (id, d) in df.enumerated() { idf[id] = logf(Float(sentenceCount + 1) / (Float(d) + 0.5)) }

        // A said sentence's terms that no sentence here has cannot make it alike, but they still
        // count in its length (each at the rarest term's weight): what it shares with a
        // candidate is then weighed against all it said, not only against the words that
        // happen to recur today. A candidate's terms are all here.
        let unseenWeight = logf(Float(sentenceCount + 1) / 0.5)
        func vector(_ terms: [UInt64]) -> [(Int32, Float)] {
            var ids: [Int32] = []
            ids.reserveCapacity(terms.count)
            var unseen: Float = 0
            for t in terms {
                if let id = termIndex.index(of: t) { ids.append(Int32(id)) } else { unseen += 1 }
            }
            // By term id, each with its count: the norm is then summed in one order on every
            // run (near-tied sentences, one wire story under two bylines, must not swap).
            ids.sort()
            var v: [(Int32, Float)] = []
            var i = 0
            while i < ids.count {
                var j = i + 1
                while j < ids.count && ids[j] == ids[i] { j += 1 }
                v.append((ids[i], Float(j - i) * idf[Int(ids[i])]))
                i = j
            }
            let norm = (v.reduce(Float(0)) { $0 + $1.1 * $1.1 } + unseen * unseenWeight * unseenWeight).squareRoot()
            guard norm > 0 else { return [] }
            for i in v.indices { v[i].1 /= norm }
            return v
        }

        // The centroid: each article counts once, however long it is.
        var centroid = [Float](repeating: 0, count: termIndex.count)
        var contributing = 0
        for article in articles {
            let v = vector(article.sentences.flatMap(\.terms))
            guard !v.isEmpty else { continue }
            contributing += 1
            for (id, w) in v { centroid[Int(id)] += w }
        }
        guard contributing > 0 else { return [] }
        let centroidNorm = centroid.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()

        var candidates: [Candidate] = []
        var seenText = Set<UInt64>()
        for (ai, article) in articles.enumerated() {
            for s in article.sentences where s.isCandidate && !excluded(ai, s) {
                let key = s.terms.reduce(UInt64(s.words)) { StableHash.combine($0, $1) }
                guard seenText.insert(key).inserted else { continue }
                let v = vector(s.terms)
                guard !v.isEmpty else { continue }
                var dot: Float = 0
                for (id, w) in v { dot += w * centroid[Int(id)] }
                let centrality = Double(dot / centroidNorm)
                let lead = 1 + leadWeight * exp(-Double(s.position) / leadDecay)
                // A very short sentence rarely stands alone ("Officials could not confirm it.").
                let standalone = min(1, Double(s.words) / Double(shortSentence))
                candidates.append(Candidate(article: ai, sentence: s, vector: v, score: centrality * lead * standalone))
            }
        }

        var chosen: [Candidate] = []
        var usedWords = 0
        var open = Array(candidates.indices)
        var maxSimilarity = [Double](repeating: 0, count: candidates.count)
        var saidSimilarity = [Double](repeating: 0, count: candidates.count)
        for s in said {
            let v = vector(s)
            guard !v.isEmpty else { continue }
            for c in candidates.indices {
                saidSimilarity[c] = max(saidSimilarity[c], Double(Self.dot(v, candidates[c].vector)))
            }
        }
        while !open.isEmpty {
            if case .sentences(let n) = budget, chosen.count >= n { break }
            var bestSlot: Int?
            var bestValue = -Double.infinity
            for (slot, c) in open.enumerated() {
                let cand = candidates[c]
                if case .words(let n) = budget, usedWords + cand.sentence.words > n { continue }
                if maxSimilarity[c] >= redundancyCut { continue }
                let value = cand.score - redundancyPenalty * max(maxSimilarity[c], saidSimilarity[c])
                if value > bestValue { (bestSlot, bestValue) = (slot, value) }
            }
            guard let slot = bestSlot else { break }
            let pick = candidates[open.remove(at: slot)]
            chosen.append(pick)
            usedWords += pick.sentence.words
            for c in open {
                let s = Double(Self.dot(pick.vector, candidates[c].vector))
                if s > maxSimilarity[c] { maxSimilarity[c] = s }
            }
        }
        chosen.sort {
            ($0.sentence.position, $0.article) < ($1.sentence.position, $1.article)
        }
        return chosen.map {
            SummarySentence(text: $0.sentence.text, article: $0.article, position: $0.sentence.position)
        }
    }

    static func dot(_ a: [(Int32, Float)], _ b: [(Int32, Float)]) -> Float {
        var i = 0
        var j = 0
        var s: Float = 0
        while i < a.count && j < b.count {
            if a[i].0 == b[j].0 {
                s += a[i].1 * b[j].1
                i += 1
                j += 1
            } else if a[i].0 < b[j].0 {
                i += 1
            } else {
                j += 1
            }
        }
        return s
    }
}
