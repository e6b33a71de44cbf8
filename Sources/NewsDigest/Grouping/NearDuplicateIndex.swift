/// Finds, for a new article, an earlier one of the same day that it repeats: LSH band keys give
/// candidates in constant time per band, shingle containment confirms them.
///
/// Only the band keys are held, cut to 32 bits, in flat open-addressing tables, each filled up
/// to 70 % (most lookups miss, and with linear probing a miss scans about 1/(1-load)² / 2
/// slots, 6 at 70 % where it was 22 at 85 %, which made a day's restore slow). A slot holds
/// the key's low 16 bits beside the article's position (6 bytes): the high bits chose the
/// slot the probe starts from, and a key is found only among the slots probed from there.
/// Two keys that agree by chance cost one wasted containment check, nothing more (about one
/// in a hundred articles). The layout never changes a match: ties go to the earlier article.
/// The shingles of a candidate are read back from where the article was recorded.
///
/// A table is never grown by copying: when the newest is full, another half as large as all
/// before takes the next keys (so the whole grows by half, as one table did), and a lookup
/// probes each. Rehashing into a larger table held the old and the new one at once: at the end
/// of a 100k-file flood that was the daemon's peak (284 MiB, 229 without it). A dozen tables
/// cost a few more probes per band instead, and `once`, which knows its files, makes one.
public struct NearDuplicateIndex: Sendable {
    /// Share of the smaller text's shingles the other must hold.
    public var containmentThreshold: Double
    private var tables: [Table] = []
    private var count = 0

    /// Slots of the first table a day makes when it was not told how many keys to expect.
    static let firstCapacity = 16 * 1024

    private struct Table: Sendable {
        /// The low 16 bits of each slot's key.
        var keys: [UInt16]
        /// Article position by slot; -1 marks an empty slot.
        var positions: [Int32]
        var used = 0

        init(capacity: Int) {
            keys = [UInt16](repeating: 0, count: capacity)
            positions = [Int32](repeating: -1, count: capacity)
        }

        var capacity: Int { keys.count }

        func fits(_ more: Int) -> Bool { (used + more) * 10 <= capacity * 7 }

        /// A key's first slot: the key scaled to the table (any size, not only powers of two).
        func home(_ key: UInt32) -> Int {
            Int((UInt64(key) &* UInt64(capacity)) >> 32)
        }

        mutating func place(_ key: UInt32, _ position: Int32) {
            let capacity = self.capacity
            let home = home(key)
            // In place, through the buffers: indexing the arrays checked uniqueness on every probe.
            let slot = positions.withUnsafeMutableBufferPointer { positions in
                var slot = home
                while positions[slot] >= 0 { slot = slot + 1 == capacity ? 0 : slot + 1 }
                positions[slot] = position
                return slot
            }
            keys[slot] = UInt16(truncatingIfNeeded: key)
            used += 1
        }

        /// Each position stored under `key`.
        func forEach(_ key: UInt32, _ body: (Int32) throws -> Void) rethrows {
            let capacity = self.capacity
            var slot = home(key)
            let low = UInt16(truncatingIfNeeded: key)
            while positions[slot] >= 0 {
                if keys[slot] == low { try body(positions[slot]) }
                slot = slot + 1 == capacity ? 0 : slot + 1
            }
        }
    }

    public init(containmentThreshold: Double = 0.7) {
        self.containmentThreshold = containmentThreshold
    }

    /// The position of the best-matching earlier article, if any holds. `shingles` gives the
    /// shingles of the article at a position.
    public func match(_ article: ParsedArticle, shingles: (Int) throws -> [UInt64]) rethrows -> Int? {
        guard !article.shingles.isEmpty, count > 0 else { return nil }
        var seen = Set<Int32>()
        var best: (index: Int, score: Double)?
        for band in article.bandKeys {
            let key = Self.key(band)
            for table in tables where table.used > 0 {
                try table.forEach(key) { candidate in
                    guard seen.insert(candidate).inserted else { return }
                    let other = try shingles(Int(candidate))
                    guard
                        let score = MinHash.containment(
                            article.shingles, other, atLeast: required(article.shingles.count, other.count))
                    else { return }
                    if best == nil || score > best!.score || (score == best!.score && Int(candidate) < best!.index) {
                        best = (Int(candidate), score)
                    }
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
        if tables.last?.fits(bandKeys.count) != true {
            let before = tables.reduce(0) { $0 + $1.capacity }
            addTable(capacity: max(Self.firstCapacity, before / 2, Self.capacity(for: bandKeys.count)))
        }
        let last = tables.count - 1
        for band in bandKeys { tables[last].place(Self.key(band), Int32(position)) }
    }

    /// Makes room for `keys` more band keys at once (`once` knows how many files it is about to
    /// commit): one table that fits them exactly, unless the newest has room already.
    public mutating func reserve(keys more: Int) {
        guard more > 0, tables.last?.fits(more) != true else { return }
        addTable(capacity: max(64, Self.capacity(for: more)))
    }

    /// How many band keys are held (for tests).
    var keyCount: Int { tables.reduce(0) { $0 + $1.used } }
    /// How many tables hold them (for tests).
    var tableCount: Int { tables.count }

    private mutating func addTable(capacity: Int) {
        tables.append(Table(capacity: capacity))
    }

    /// The smallest table that holds `keys` within the load.
    private static func capacity(for keys: Int) -> Int {
        (keys * 10 + 6) / 7
    }

    static func key(_ band: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: band ^ (band >> 32))
    }
}
