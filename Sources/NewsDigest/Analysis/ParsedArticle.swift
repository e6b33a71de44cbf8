/// One sentence of an article's body, with what ranking and grouping need to know about it.
public struct ParsedSentence: Sendable {
    public let text: String
    /// Index among the article's body sentences: news puts the point first.
    public let position: Int
    /// Hash of the line the sentence stands on (lowercased): a line that one source repeats
    /// under many of its articles is that source's furniture, not news.
    public let line: UInt64
    /// Whitespace-separated tokens: the unit of a summary's word budget.
    public let words: Int
    /// Stems of the content words, in order, with repeats.
    public let terms: [UInt64]
    /// Whether it may stand in a summary: a whole sentence of sane length, not a heading,
    /// caption or scraping accident.
    public let isCandidate: Bool
}

/// A weighted term of an article's topic vector (weights before IDF).
public struct TermWeight: Sendable, Equatable {
    public let term: UInt64
    public let weight: Float
}

/// An article after the pure per-file work: everything the day's state needs to decide what it
/// is, computed on a worker without touching shared state.
///
/// A day holds one of these per article for as long as it is loaded, so it keeps only what
/// deciding and digesting read: not the raw text (the store keeps that, for rebuilding) and not
/// the MinHash signature (its band keys are what the index uses).
public struct ParsedArticle: Sendable {
    /// Path relative to the drop folder, as shown in digests.
    public let file: String
    public let title: String
    public let source: String
    /// Publication day (days since 1970-01-01) when the file said; nil when unknown.
    public let publishedDay: Int?
    /// Hash of the normalized token stream of title and text: equal means exact duplicate.
    public let exactKey: UInt64
    public let shingles: [UInt64]
    /// LSH band keys of the signature, computed here on the worker, not on the serial commit path.
    public let bandKeys: [UInt64]
    /// Topic vector, sorted by term.
    public let terms: [TermWeight]
    public let sentences: [ParsedSentence]
    /// Word count of the body, furniture excluded.
    public let bodyWords: Int

    /// Stable for the file's content, unique in the state (exact duplicates never become articles).
    public var id: String { "a" + StableHash.hex(exactKey, digits: 12) }
}
