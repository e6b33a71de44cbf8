/// Finds, for a new article, an earlier one of the same day that it repeats: LSH band keys
/// give candidates in constant time per band, shingle containment confirms them.
public struct NearDuplicateIndex: Sendable {
    /// Share of the smaller text's shingles the other must hold.
    public var containmentThreshold: Double
    private var buckets: [UInt64: [Int32]] = [:]
    /// Shingles of every inserted article, by index (shared storage with the articles).
    private var shingles: [[UInt64]] = []

    public init(containmentThreshold: Double = 0.7) {
        self.containmentThreshold = containmentThreshold
    }

    /// The index of the best-matching earlier article, if any holds.
    public func match(_ article: ParsedArticle) -> Int? {
        guard !article.shingles.isEmpty else { return nil }
        var seen = Set<Int32>()
        var best: (index: Int, score: Double)?
        for key in article.bandKeys {
            guard let list = buckets[key] else { continue }
            for candidate in list where seen.insert(candidate).inserted {
                let other = shingles[Int(candidate)]
                let score = MinHash.containment(article.shingles, other)
                guard score >= required(article.shingles.count, other.count) else { continue }
                if best == nil || score > best!.score || (score == best!.score && Int(candidate) < best!.index) {
                    best = (Int(candidate), score)
                }
            }
        }
        return best?.index
    }

    /// A text of a few words is "contained" in many others by accident; the shorter the smaller
    /// text, the more of it must match, up to all of it and a similar length.
    private func required(_ a: Int, _ b: Int) -> Double {
        let smaller = min(a, b)
        if smaller >= 20 { return containmentThreshold }
        if smaller < 4 { return max(a, b) <= smaller * 2 ? 1.0 : 2.0 }
        return containmentThreshold + (1 - containmentThreshold) * Double(20 - smaller) / 16
    }

    /// Adds the next article; indices are consecutive from 0.
    public mutating func insert(_ article: ParsedArticle, at index: Int) {
        precondition(index == shingles.count, "articles are inserted in order")
        shingles.append(article.shingles)
        for key in article.bandKeys {
            buckets[key, default: []].append(Int32(index))
        }
    }
}
