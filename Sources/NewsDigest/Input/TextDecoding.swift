/// Bytes to text, refusing what is not text.
enum TextDecoding {
    struct Decoded {
        var text: String
        /// nil for UTF-8; otherwise the encoding the text was decoded from, for the log.
        var encoding: String?
    }

    static func decode(_ bytes: [UInt8]) -> Result<Decoded, Rejection> {
        if bytes.isEmpty { return .failure(Rejection(.empty, "empty file")) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return decodeUTF16(bytes.dropFirst(2), bigEndian: bytes[0] == 0xFE)
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let kind = binaryKind(body) {
            return .failure(Rejection(.binary, "binary file (\(kind)), not article text"))
        }
        // The standard library's validating copy, not a scalar-by-scalar build: appending each
        // scalar to a UnicodeScalarView was a fourteenth of the per-file time.
        if let text = String(validating: body, as: UTF8.self) {
            return .success(Decoded(text: text, encoding: nil))
        }
        return decodeLegacy(body, firstBad: firstInvalidOffset(body) + (bytes.count - body.count))
    }

    /// Where the first byte that is not part of well-formed UTF-8 stands in `body`.
    private static func firstInvalidOffset(_ body: ArraySlice<UInt8>) -> Int {
        var offset = 0
        var it = body.makeIterator()
        var decoder = UTF8()
        while case .scalarValue(let s) = decoder.decode(&it) { offset += UTF8.width(s) }
        return offset
    }

    /// Bytes that are not UTF-8: Latin-1 as Windows writes it (cp1252, a superset of ISO-8859-1
    /// in the printable range) when they read as text in it, refused otherwise. UTF-8 with a
    /// few broken bytes is refused too: guessing there would garble the good part.
    private static func decodeLegacy(_ body: ArraySlice<UInt8>, firstBad: Int) -> Result<Decoded, Rejection> {
        let bytes = Array(body)
        var i = 0
        var high = 0
        var utf8Sequences = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C {
                    return .failure(
                        Rejection(
                            .encoding,
                            "\(notText) control byte 0x\(hex(b)) at offset \(i) (the first byte that is not UTF-8 is at offset \(firstBad))"
                        ))
                }
                i += 1
                continue
            }
            high += 1
            let length = UTF8Sequence.length(bytes, at: i)
            if length > 1 {
                utf8Sequences += 1
                high += length - 1
                i += length
                continue
            }
            if undefinedInWindows1252.contains(b) {
                return .failure(
                    Rejection(
                        .encoding,
                        "\(notText) byte 0x\(hex(b)) at offset \(i) is no Windows-1252 character (the first byte that is not UTF-8 is at offset \(firstBad))"
                    ))
            }
            i += 1
        }
        if utf8Sequences > 0 {
            return .failure(
                Rejection(
                    .encoding,
                    "not valid UTF-8: first bad byte at offset \(firstBad) in text that is otherwise UTF-8 (\(utf8Sequences) valid multi-byte character(s)); not decoded as Latin-1, which would garble them"
                ))
        }
        // Latin-1 prose is mostly ASCII: a text where a third of the bytes are high is not one.
        if high * 3 > bytes.count {
            return .failure(
                Rejection(
                    .encoding,
                    "\(notText) \(high * 100 / max(1, bytes.count))% of its bytes are outside ASCII, too many for Latin-1 prose (the first byte that is not UTF-8 is at offset \(firstBad))"
                ))
        }
        var text = String.UnicodeScalarView()
        text.reserveCapacity(bytes.count)
        for b in bytes {
            if (0x80...0x9F).contains(b) {
                text.append(Unicode.Scalar(windows1252High[Int(b - 0x80)])!)
            } else {
                text.append(Unicode.Scalar(b))
            }
        }
        return .success(Decoded(text: String(text), encoding: "Windows-1252 (Latin-1)"))
    }

    private static let notText = "not text (neither UTF-8 nor Latin-1):"

    private static func hex(_ b: UInt8) -> String {
        let h = String(b, radix: 16, uppercase: true)
        return h.count == 1 ? "0" + h : h
    }

    private static let undefinedInWindows1252: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// What Windows-1252 puts at 0x80–0x9F (0 where it puts nothing; those bytes are refused).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> Result<Decoded, Rejection> {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i])
            let b = UInt16(bytes[i + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            i += 2
        }
        var text = String.UnicodeScalarView()
        var it = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): text.append(s)
            case .emptyInput: break loop
            case .error: return .failure(Rejection(.encoding, "not valid UTF-16 text despite its byte-order mark"))
            }
        }
        let s = String(text)
        if s.unicodeScalars.contains(where: { $0.value == 0 }) {
            return .failure(Rejection(.binary, "binary file (NUL characters), not article text"))
        }
        return .success(Decoded(text: s, encoding: bigEndian ? "UTF-16BE" : "UTF-16LE"))
    }

    /// Well-known binary signatures, then NUL bytes: text never holds them.
    static func binaryKind(_ b: ArraySlice<UInt8>) -> String? {
        let signatures: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "PNG image"), ([0xFF, 0xD8, 0xFF], "JPEG image"),
            ([0x47, 0x49, 0x46, 0x38], "GIF image"), ([0x25, 0x50, 0x44, 0x46], "PDF document"),
            ([0x1F, 0x8B], "gzip data"), ([0x50, 0x4B, 0x03, 0x04], "ZIP archive"),
            ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"), ([0x42, 0x5A, 0x68], "bzip2 data"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A], "xz data"), ([0x52, 0x49, 0x46, 0x46], "RIFF media"),
        ]
        for (magic, name) in signatures where b.starts(with: magic) { return name }
        if b.prefix(8192).contains(0) { return "contains NUL bytes" }
        return nil
    }
}

/// Well-formed UTF-8, one sequence at a time: for text that may be partly something else (file
/// names shown as %XX, Latin-1 told from broken UTF-8).
public enum UTF8Sequence {
    /// The length of the well-formed sequence starting at `i` (1 for ASCII), or 0 when the
    /// bytes there are not one.
    public static func length(_ b: [UInt8], at i: Int) -> Int {
        let b0 = b[i]
        if b0 < 0x80 { return 1 }
        let length: Int
        var low: UInt8 = 0x80
        var up: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, low) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, up) = (3, 0x9F)
        case 0xF0: (length, low) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, up) = (4, 0x8F)
        default: return 0
        }
        guard i + length <= b.count, (low...up).contains(b[i + 1]) else { return 0 }
        for k in 2..<length where !(0x80...0xBF).contains(b[i + k]) { return 0 }
        return length
    }
}
