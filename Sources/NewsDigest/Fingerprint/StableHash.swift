/// Hashes that are the same in every process and on every machine.
///
/// Swift's `Hasher` is seeded per process, so anything it produces would make two runs over the
/// same files disagree: every hash that reaches a decision or an id goes through here instead.
public enum StableHash {
    /// FNV-1a over bytes, finished with a 64-bit mixer so that short inputs spread over all bits.
    @inlinable
    public static func bytes<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01b3
        }
        return mix(h)
    }

    @inlinable
    public static func string(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { bytes($0) }
    }

    /// The splitmix64 finalizer: a bijection, so distinct inputs stay distinct.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Order-sensitive combination of two hashes (for shingles and band keys).
    @inlinable
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(a ^ (b &* 0x9e37_79b9_7f4a_7c15 &+ 0x632b_e59b_d9b4_e019 &+ (a << 6) &+ (a >> 2)))
    }

    /// Lowercase hexadecimal, fixed width, for ids.
    public static func hex(_ x: UInt64, digits: Int = 16) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: digits)
        var v = x
        for i in stride(from: digits - 1, through: 0, by: -1) {
            out[i] = table[Int(v & 0xf)]
            v >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}
