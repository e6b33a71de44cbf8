/// Finds, for a new article, an earlier one of the same day that it repeats: LSH band keys give
/// candidates in constant time per band, shingle containment confirms them.
///
/// Only the band keys are held, cut to 32 bits, in one flat open-addressing table (8 bytes a
/// key, filled up to 70 %: most lookups miss, and with linear probing a miss scans about
/// 1/(1-load)² / 2 slots, 6 at 70 % where it was 22 at 85 %, which made a day's restore slow;
/// the table layout never changes a match, ties go to the earlier article): two keys that agree in 32 bits by chance cost one wasted containment check, nothing
/// more. The shingles of a candidate are read back from where the article was recorded.
public struct NearDuplicateIndex: Sendable {
    /// Share of the smaller text's shingles the other must hold.
    public var containmentThreshold: Double
    private var keys: [UInt32] = []
    /// Article position by slot; -1 marks an empty slot.
    private var positions: [Int32] = []
    private var used = 0
    private var count = 0

    public init(containmentThreshold: Double = 0.7) {
        self.containmentThreshold = containmentThreshold
    }

    /// The position of the best-matching earlier article, if any holds. `shingles` gives the
    /// shingles of the article at a position.
    public func match(_ article: ParsedArticle, shingles: (Int) throws -> [UInt64]) rethrows -> Int? {
        guard !article.shingles.isEmpty, used > 0 else { return nil }
        var seen = Set<Int32>()
        var best: (index: Int, score: Double)?
        let capacity = keys.count
        for band in article.bandKeys {
            let key = Self.key(band)
            var slot = Self.home(key, capacity)
            while positions[slot] >= 0 {
                defer { slot = slot + 1 == capacity ? 0 : slot + 1 }
                let candidate = positions[slot]
                guard keys[slot] == key, seen.insert(candidate).inserted else { continue }
                let other = try shingles(Int(candidate))
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

    /// Adds the band keys of the next article; positions are consecutive from 0.
    public mutating func insert(_ bandKeys: [UInt64], at position: Int) {
        precondition(position == count, "articles are inserted in order")
        count += 1
        if (used + bandKeys.count) * 10 > keys.count * 7 { grow(toFit: used + bandKeys.count) }
        for band in bandKeys { place(Self.key(band), Int32(position)) }
    }

    private static func key(_ band: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: band ^ (band >> 32))
    }

    /// Makes room for `keys` more band keys at once: a table that grows while full holds its
    /// old and new arrays together, which at the end of a large day is the day's peak.
    /// The table is sized to fit them exactly: this is a day's largest allocation, and growing
    /// by half from where it stands would leave up to a third of it never used.
    public mutating func reserve(keys more: Int) {
        if (used + more) * 10 > keys.count * 7 { grow(toFit: used + more, exactly: true) }
    }

    /// A key's first slot: the key scaled to the table (any size, not only powers of two, so
    /// the table grows by half and stays close to its load).
    private static func home(_ key: UInt32, _ capacity: Int) -> Int {
        Int((UInt64(key) &* UInt64(capacity)) >> 32)
    }

    private mutating func place(_ key: UInt32, _ position: Int32) {
        let capacity = keys.count
        // In place, through the buffers: indexing the arrays checked uniqueness on every probe.
        let slot = positions.withUnsafeMutableBufferPointer { positions in
            var slot = Self.home(key, capacity)
            while positions[slot] >= 0 { slot = slot + 1 == capacity ? 0 : slot + 1 }
            positions[slot] = position
            return slot
        }
        keys[slot] = key
        used += 1
    }

    private mutating func grow(toFit n: Int, exactly: Bool = false) {
        var capacity = max(64, keys.count)
        if exactly {
            capacity = max(64, (n * 10 + 6) / 7)
        } else {
            while n * 10 > capacity * 7 { capacity += capacity / 2 }
        }
        let (oldKeys, oldPositions) = (keys, positions)
        keys = []
        positions = []
        keys = [UInt32](repeating: 0, count: capacity)
        positions = [Int32](repeating: -1, count: capacity)
        used = 0
        for (k, p) in zip(oldKeys, oldPositions) where p >= 0 { place(k, p) }
    }
}
