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

    public init(term: UInt64, weight: Float) {
        self.term = term
        self.weight = weight
    }
}

/// An article after the pure per-file work: everything the day's state needs to decide what it
/// is, computed on a worker without touching shared state.
///
/// It lives only while its article is decided: what later decisions and digests need of it is
/// recorded in an `ArticleArchive` (the store), and a day in memory keeps compact indexes only.
/// Read back from an archive, `shingles` and `bandKeys` may be empty.
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
    /// Where the input said it was published on the web, as given (HTML links it only when it
    /// is an http or https URL).
    public let url: String?

    public init(
        file: String, title: String, source: String, publishedDay: Int?, exactKey: UInt64, shingles: [UInt64],
        bandKeys: [UInt64], terms: [TermWeight], sentences: [ParsedSentence], bodyWords: Int, url: String? = nil
    ) {
        self.url = url
        self.file = file
        self.title = title
        self.source = source
        self.publishedDay = publishedDay
        self.exactKey = exactKey
        self.shingles = shingles
        self.bandKeys = bandKeys
        self.terms = terms
        self.sentences = sentences
        self.bodyWords = bodyWords
    }

    /// A publication day later than this many days after the day a file is counted on is not
    /// believed: a page's copyright year, an event's date or a scraper's clock, never when the
    /// article appeared. One day of slack: "tomorrow" where the outlet is can be today here.
    public static let futureSlack = 1

    /// Whether `published` (days since 1970-01-01) can be the publication day of an article
    /// counted on `day` (YYYY-MM-DD).
    public static func believable(published: Int, countedOn day: String) -> Bool {
        guard let counted = DayNumber.parse(day) else { return true }
        return published <= counted + futureSlack
    }

    /// The article with its publication day taken as unknown when it is not believable on `day`.
    public func believingPublication(on day: String) -> ParsedArticle {
        guard let published = publishedDay, !Self.believable(published: published, countedOn: day) else { return self }
        return ParsedArticle(
            file: file, title: title, source: source, publishedDay: nil, exactKey: exactKey, shingles: shingles,
            bandKeys: bandKeys, terms: terms, sentences: sentences, bodyWords: bodyWords, url: url)
    }

    /// Stable for the file's content, unique in the state (exact duplicates never become articles).
    public var id: String { Self.id(exactKey: exactKey) }

    /// An article's id: "a" and the exact key's low 48 bits in hexadecimal.
    public static func id(exactKey: UInt64) -> String { "a" + StableHash.hex(exactKey, digits: 12) }
}
