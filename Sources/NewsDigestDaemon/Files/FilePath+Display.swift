import NewsDigest

/// A path relative to the drop folder, kept as bytes: Linux file names need not be UTF-8, and a
/// name that is not must still be opened, moved and reported.
public struct RelativePath: Sendable, Hashable, Comparable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ s: String) { self.bytes = Array(s.utf8) }

    /// The form logs and the Markdown show (`InputName.display`): the JSON's name with control
    /// characters as %XX, so a newline in a file name never starts a new log line or breaks a
    /// Markdown list.
    public var display: String { InputName.display(bytes: bytes) }

    /// The name as the digests keep it (`InputName`): exact when it is UTF-8.
    public var kept: String { InputName.kept(bytes) }

    /// The name a record of this batch file is kept under (`InputName`).
    public func kept(record: Int) -> String { InputName.kept(bytes, record: record) }

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
}
