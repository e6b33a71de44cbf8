/// Bytes to text, refusing what is not text.
enum TextDecoding {
    static func decode(_ bytes: [UInt8]) -> Result<String, Rejection> {
        if bytes.isEmpty { return .failure(Rejection("empty file")) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return decodeUTF16(bytes.dropFirst(2), bigEndian: bytes[0] == 0xFE)
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let kind = binaryKind(body) {
            return .failure(Rejection("binary file (\(kind)), not article text"))
        }
        var offset = 0
        var it = body.makeIterator()
        var decoder = UTF8()
        var text = String.UnicodeScalarView()
        text.reserveCapacity(body.count)
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s):
                text.append(s)
                offset += UTF8.width(s)
            case .emptyInput:
                break loop
            case .error:
                return .failure(
                    Rejection("not valid UTF-8 text (first bad byte at offset \(offset + (bytes.count - body.count)))"))
            }
        }
        return .success(String(text))
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> Result<String, Rejection> {
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
            case .error: return .failure(Rejection("not valid UTF-16 text despite its byte-order mark"))
            }
        }
        let s = String(text)
        if s.unicodeScalars.contains(where: { $0.value == 0 }) {
            return .failure(Rejection("binary file (NUL characters), not article text"))
        }
        return .success(s)
    }

    /// Well-known binary signatures, then NUL bytes: text never holds them.
    private static func binaryKind(_ b: ArraySlice<UInt8>) -> String? {
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
