/// The byte layouts in which an article's features are kept once it is committed: fixed-width
/// little-endian fields, so a reader needs no parser and the store no JSON. Decoding checks every
/// length and returns nil on bytes it did not write, never traps.
public enum FeatureCoding {
    /// 8 bytes a value.
    public static func encode(_ values: [UInt64]) -> [UInt8] {
        var w = ByteWriter(capacity: values.count * 8)
        for v in values { w.put(v) }
        return w.bytes
    }

    public static func decodeUInt64s(_ bytes: [UInt8]) -> [UInt64]? {
        guard bytes.count % 8 == 0 else { return nil }
        var r = ByteReader(bytes)
        var out: [UInt64] = []
        out.reserveCapacity(bytes.count / 8)
        while !r.atEnd { out.append(r.uint64()!) }
        return out
    }

    /// 12 bytes a term: the term hash, then the weight's bits.
    public static func encode(_ terms: [TermWeight]) -> [UInt8] {
        var w = ByteWriter(capacity: terms.count * 12)
        for t in terms {
            w.put(t.term)
            w.put(t.weight.bitPattern)
        }
        return w.bytes
    }

    public static func decodeTerms(_ bytes: [UInt8]) -> [TermWeight]? {
        guard bytes.count % 12 == 0 else { return nil }
        var r = ByteReader(bytes)
        var out: [TermWeight] = []
        out.reserveCapacity(bytes.count / 12)
        while !r.atEnd { out.append(TermWeight(term: r.uint64()!, weight: Float(bitPattern: r.uint32()!))) }
        return out
    }

    /// Per sentence: position, words, term count (32 bits each), candidate flag (1 byte), line
    /// hash, terms (64 bits each), text length (32 bits) and the text's UTF-8.
    public static func encode(_ sentences: [ParsedSentence]) -> [UInt8] {
        var w = ByteWriter(capacity: sentences.reduce(0) { $0 + 25 + $1.terms.count * 8 + $1.text.utf8.count })
        for s in sentences {
            w.put(UInt32(s.position))
            w.put(UInt32(s.words))
            w.put(UInt32(s.terms.count))
            w.bytes.append(s.isCandidate ? 1 : 0)
            w.put(s.line)
            for t in s.terms { w.put(t) }
            w.put(UInt32(s.text.utf8.count))
            w.bytes.append(contentsOf: s.text.utf8)
        }
        return w.bytes
    }

    public static func decodeSentences(_ bytes: [UInt8]) -> [ParsedSentence]? {
        var r = ByteReader(bytes)
        var out: [ParsedSentence] = []
        while !r.atEnd {
            guard let position = r.uint32(), let words = r.uint32(), let termCount = r.uint32(),
                let flag = r.byte(), let line = r.uint64(), r.remaining >= Int(termCount) * 8
            else { return nil }
            var terms: [UInt64] = []
            terms.reserveCapacity(Int(termCount))
            for _ in 0..<termCount { terms.append(r.uint64()!) }
            guard let length = r.uint32(), let text = r.bytes(Int(length)) else { return nil }
            out.append(
                ParsedSentence(
                    text: String(decoding: text, as: UTF8.self), position: Int(position), line: line,
                    words: Int(words), terms: terms, isCandidate: flag != 0))
        }
        return out
    }
}

extension FeatureCoding {
    /// Lists of terms (a brief's sentences): per list its length (32 bits), then its terms.
    public static func encode(lists: [[UInt64]]) -> [UInt8] {
        var w = ByteWriter(capacity: lists.reduce(0) { $0 + 4 + $1.count * 8 })
        for list in lists {
            w.put(UInt32(list.count))
            for v in list { w.put(v) }
        }
        return w.bytes
    }

    public static func decodeLists(_ bytes: [UInt8]) -> [[UInt64]]? {
        var r = ByteReader(bytes)
        var out: [[UInt64]] = []
        while !r.atEnd {
            guard let n = r.uint32(), Int(n) <= r.remaining / 8 else { return nil }
            out.append((0..<Int(n)).map { _ in r.uint64()! })
        }
        return out
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    // Little-endian, a value at a time: appending byte by byte checked the array's
    // uniqueness eight times per value, on the commit path.
    mutating func put(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func put(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

struct ByteReader {
    private let data: [UInt8]
    private var at = 0

    init(_ data: [UInt8]) { self.data = data }

    var atEnd: Bool { at >= data.count }
    var remaining: Int { data.count - at }

    mutating func byte() -> UInt8? {
        guard at < data.count else { return nil }
        defer { at += 1 }
        return data[at]
    }

    mutating func uint32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { at += 4 }
        return data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    }

    mutating func uint64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        defer { at += 8 }
        return data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    }

    mutating func bytes(_ n: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, remaining >= n else { return nil }
        defer { at += n }
        return data[at..<at + n]
    }
}
