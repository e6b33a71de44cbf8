/// What a reader makes of one input file: the article as its publisher meant it, before any
/// of the pipeline's own judgement. This is also what the state keeps, so that a digest can be
/// rebuilt from the stored day with the current code.
public struct RawArticle: Sendable, Equatable, Codable {
    public var title: String
    public var text: String
    public var source: String
    public var url: String?
    /// The publication date as the file gave it (only its leading YYYY-MM-DD is used).
    public var date: String?
    /// The encoding the file was decoded from when it was not UTF-8 ("UTF-16LE",
    /// "Windows-1252 (Latin-1)"): said in the log, never part of the article's identity.
    public var encoding: String?

    public init(title: String, text: String, source: String, url: String? = nil, date: String? = nil) {
        self.title = title
        self.text = text
        self.source = source
        self.url = url
        self.date = date
    }

    func decoded(from encoding: String?) -> RawArticle {
        var copy = self
        copy.encoding = encoding
        return copy
    }
}

/// Why a file could not be used. The reason is written for the operator who finds the file in
/// `rejected/`: what was wrong, and where possible what would have been right.
public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of problem, for counting (the metrics' `reason` label); the reason says the rest.
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        /// No text at all: zero bytes, or only white space.
        case empty
        /// Bytes that are not text (NUL bytes, a known binary format).
        case binary
        /// Text in no encoding newsdigest reads.
        case encoding
        /// A file type newsdigest does not read.
        case type
        /// JSON that does not parse or is not an article.
        case json
        /// Over `input.max_file_bytes`.
        case size
        /// Could not be opened, stat'ed or read.
        case unreadable
        /// A symbolic link or something else that is not a regular file.
        case notAFile = "not_a_file"

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public var kind: Kind
    public var reason: String
    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }
    public var description: String { reason }
}
