/// A path relative to the drop folder, kept as bytes: Linux file names need not be UTF-8, and a
/// name that is not must still be opened, moved and reported.
public struct RelativePath: Sendable, Hashable, Comparable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ s: String) { self.bytes = Array(s.utf8) }

    /// The form digests and logs show: UTF-8 as it is, every byte that is not valid UTF-8 as %XX,
    /// and so are control characters: a newline in a file name must not start a new log line or
    /// break a Markdown list.
    public var display: String {
        var out = ""
        var i = 0
        let b = bytes
        while i < b.count {
            let length = b[i] < 0x20 || b[i] == 0x7F ? 0 : Self.validSequenceLength(b, at: i)
            if length > 0 {
                out += String(decoding: b[i..<(i + length)], as: UTF8.self)
                i += length
            } else {
                out += "%" + String(b[i], radix: 16, uppercase: true).leftPadded(2)
                i += 1
            }
        }
        return out
    }

    /// The first component: the outlet, for scrapers that write into `drop/SOURCE/`.
    public var folderSource: String? {
        guard let slash = bytes.firstIndex(of: 0x2F) else { return nil }
        return RelativePath(bytes: Array(bytes[..<slash])).display
    }

    public var fileName: String {
        guard let slash = bytes.lastIndex(of: 0x2F) else { return display }
        return RelativePath(bytes: Array(bytes[(slash + 1)...])).display
    }

    public func appending(_ name: [UInt8]) -> RelativePath {
        RelativePath(bytes: bytes.isEmpty ? name : bytes + [0x2F] + name)
    }

    /// Byte order, so the scan order does not depend on the locale.
    public static func < (a: RelativePath, b: RelativePath) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    static func validSequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let b0 = b[i]
        if b0 < 0x80 { return 1 }
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upperBound = 0x9F
        case 0xF0:
            length = 4
            lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upperBound = 0x8F
        default: return 0
        }
        guard i + length <= b.count else { return 0 }
        guard b[i + 1] >= lowerBound && b[i + 1] <= upperBound else { return 0 }
        for k in 2..<max(2, length) where !(0x80...0xBF).contains(b[i + k]) { return 0 }
        return length
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
