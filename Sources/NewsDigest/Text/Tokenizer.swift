/// Word tokens over UTF-8 bytes.
///
/// A byte loop, not `Character` iteration or `Regex`: on Linux those are 30–100× slower, and
/// every article passes through here several times. Non-ASCII is decoded only where it occurs.
public enum Tokenizer {
    /// A word as the callback sees it: lowercased bytes (valid only during the call) and whether
    /// the original began with a capital letter.
    public typealias Visitor = (_ lower: [UInt8], _ capitalized: Bool) -> Void

    /// Calls `visit` for each word in order. Rules: letters and digits of any script make words;
    /// a possessive `'s` is dropped and other inner apostrophes are removed ("don't" → "dont");
    /// "7,500" → "7500" and "6.1" stays one token; everything else separates.
    public static func forEachWord(in text: String, _ visit: Visitor) {
        var text = text
        text.withUTF8 { forEachWord(utf8: $0, visit) }
    }

    public static func forEachWord(utf8 bytes: UnsafeBufferPointer<UInt8>, _ visit: Visitor) {
        // The word under way lives in a struct passed inout, not in variables a local function
        // captures: captured variables get run-time exclusivity checks on every byte.
        var word = Word()
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if isASCIIAlnum(b) {
                    if word.bytes.isEmpty { word.capitalized = b >= 65 && b <= 90 }
                    word.bytes.append(b >= 65 && b <= 90 ? b + 32 : b)
                    i += 1
                    continue
                }
                if !word.bytes.isEmpty && i + 1 < n {
                    let next = bytes[i + 1]
                    if b == 0x27 && isASCIIAlpha(word.bytes.last!) && isASCIIAlpha(next) {
                        // Possessive: "Assad's" is "Assad"; otherwise the apostrophe just joins.
                        let afterS = i + 2
                        if (next == 0x73 || next == 0x53) && (afterS >= n || !isWordByte(bytes[afterS])) {
                            i = afterS
                            word.flush(visit)
                            continue
                        }
                        i += 1
                        continue
                    }
                    if (b == 0x2E || b == 0x2C) && isDigit(word.bytes.last!) && isDigit(next) {
                        if b == 0x2E { word.bytes.append(b) }
                        i += 1
                        continue
                    }
                }
                word.flush(visit)
                i += 1
                continue
            }
            // Non-ASCII: decode one scalar, keep it when it is a letter or a digit.
            let (scalar, length) = decode(bytes, at: i)
            i += length
            if let scalar, scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if word.bytes.isEmpty { word.capitalized = scalar.properties.isUppercase }
                word.bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            } else {
                word.flush(visit)
            }
        }
        word.flush(visit)
    }

    private struct Word {
        var bytes: [UInt8]
        var capitalized = false

        init() {
            bytes = []
            bytes.reserveCapacity(32)
        }

        @inline(__always) mutating func flush(_ visit: Visitor) {
            if !bytes.isEmpty {
                visit(bytes, capitalized)
                bytes.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Words as strings, lowercased (for tests and small callers).
    public static func words(_ text: String) -> [String] {
        var out: [String] = []
        forEachWord(in: text) { lower, _ in out.append(String(decoding: lower, as: UTF8.self)) }
        return out
    }

    /// Whitespace-separated tokens: the unit the word budget of a summary is counted in.
    public static func budgetWords(_ text: String) -> Int {
        var count = 0
        var inToken = false
        for b in text.utf8 {
            let space = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C
            if space {
                inToken = false
            } else if !inToken {
                inToken = true
                count += 1
            }
        }
        return count
    }

    @inline(__always) static func isASCIIAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    @inline(__always) static func isASCIIAlnum(_ b: UInt8) -> Bool { isASCIIAlpha(b) || isDigit(b) }
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || isASCIIAlnum(b) }

    /// Decodes the scalar starting at `i`; an invalid sequence yields nil and is skipped byte by byte.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar?, Int) {
        let b0 = bytes[i]
        let length: Int
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF:
            length = 2
            value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF:
            length = 3
            value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4:
            length = 4
            value = UInt32(b0 & 0x07)
        default: return (nil, 1)
        }
        guard i + length <= bytes.count else { return (nil, 1) }
        for k in 1..<length {
            let b = bytes[i + k]
            guard b & 0xC0 == 0x80 else { return (nil, 1) }
            value = (value << 6) | UInt32(b & 0x3F)
        }
        return (Unicode.Scalar(value), length)
    }
}
