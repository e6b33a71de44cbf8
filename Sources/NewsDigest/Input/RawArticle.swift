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
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
