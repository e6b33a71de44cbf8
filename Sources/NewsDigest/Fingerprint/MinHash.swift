/// Word shingles, their MinHash signature and the LSH band keys that find candidate pairs.
///
/// Shingles are what two copies of one text share even after a new headline, added furniture or
/// a cut-off ending; MinHash makes comparing them cheap, and banding makes finding who to compare
/// with a hash lookup instead of a scan of the day.
public enum MinHash {
    /// 42 bands of 3 rows: a pair is a candidate with probability 1 - (1 - J³)⁴², which is 1/2 near
    /// Jaccard 0.29 and 0.97 at 0.5 — low enough to catch truncated copies, which containment
    /// (not Jaccard) then confirms.
    public static let bands = 42
    public static let rows = 3
    public static let size = bands * rows
    public static let shingleWidth = 5

    /// Sorted, unique hashes of the word `width`-grams of `tokens` (token hashes). Texts shorter
    /// than a shingle give one shingle of all their words, so they can still match a copy.
    public static func shingles(of tokens: [UInt64], width: Int = shingleWidth) -> [UInt64] {
        guard !tokens.isEmpty else { return [] }
        if tokens.count < width {
            return [tokens.dropFirst().reduce(tokens[0]) { StableHash.combine($0, $1) }]
        }
        var out: [UInt64] = []
        out.reserveCapacity(tokens.count - width + 1)
        for start in 0...(tokens.count - width) {
            var h = tokens[start]
            for k in 1..<width { h = StableHash.combine(h, tokens[start + k]) }
            out.append(h)
        }
        out.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(out.count)
        for h in out where unique.last != h { unique.append(h) }
        return unique
    }

    /// The signature: for each of `size` hash functions, the minimum over the shingles. Each
    /// function is a full mix of the shingle and its own index: the cheaper a + i·b construction
    /// makes neighbouring functions agree together, which starves the 3-row bands of matches.
    public static func signature(of shingles: [UInt64]) -> [UInt32] {
        var mins = [UInt64](repeating: .max, count: size)
        mins.withUnsafeMutableBufferPointer { m in
            for s in shingles {
                let a = StableHash.mix(s ^ 0x5151_5151_5151_5151)
                for i in 0..<size {
                    let h = StableHash.mix(a &+ UInt64(i) &* 0x9e37_79b9_7f4a_7c15)
                    if h < m[i] { m[i] = h }
                }
            }
        }
        return mins.map { UInt32(truncatingIfNeeded: $0 >> 32) }
    }

    /// One key per band: equal keys mean the band's rows all agree.
    public static func bandKeys(of signature: [UInt32]) -> [UInt64] {
        (0..<bands).map { band in
            var h = StableHash.mix(UInt64(band) &+ 0x1234_5678)
            for r in 0..<rows { h = StableHash.combine(h, UInt64(signature[band * rows + r])) }
            return h
        }
    }

    /// |A ∩ B| of two sorted unique arrays.
    public static func intersectionCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        intersectionCount(a, b, needed: 0)!
    }

    /// |A ∩ B|, or nil as soon as what is left of the shorter array can no longer bring it to
    /// `needed`.
    static func intersectionCount(_ a: [UInt64], _ b: [UInt64], needed: Int) -> Int? {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b -> Int? in
                var i = 0
                var j = 0
                var n = 0
                while i < a.count && j < b.count {
                    if n + min(a.count - i, b.count - j) < needed { return nil }
                    if a[i] == b[j] {
                        n += 1
                        i += 1
                        j += 1
                    } else if a[i] < b[j] {
                        i += 1
                    } else {
                        j += 1
                    }
                }
                return n
            }
        }
    }

    /// How much of the smaller text the larger one holds: 1.0 for a truncated copy, where
    /// Jaccard would say only "half the same".
    public static func containment(_ a: [UInt64], _ b: [UInt64]) -> Double {
        let smaller = min(a.count, b.count)
        guard smaller > 0 else { return 0 }
        return Double(intersectionCount(a, b)) / Double(smaller)
    }

    /// `containment(a, b)` when it is at least `required`, else nil. The merge stops as soon as
    /// what is left of the shorter list could no longer bring the count to `required`: most
    /// candidates a band finds share a story's sentences, not its text, and are ruled out
    /// within the first part of the walk.
    public static func containment(_ a: [UInt64], _ b: [UInt64], atLeast required: Double) -> Double? {
        let smaller = min(a.count, b.count)
        guard smaller > 0 else { return 0 >= required ? 0 : nil }
        func score(_ n: Int) -> Double { Double(n) / Double(smaller) }
        // The least count whose score reaches `required`, found with the very division that
        // scores it, so no rounding can rule out a pair the full count would keep.
        var needed = max(0, min(smaller + 1, Int((required * Double(smaller)).rounded(.up))))
        while needed > 0 && score(needed - 1) >= required { needed -= 1 }
        while needed <= smaller && score(needed) < required { needed += 1 }
        guard needed <= smaller else { return nil }
        let n = intersectionCount(a, b, needed: needed)
        guard let n, n >= needed else { return nil }
        return score(n)
    }
}
