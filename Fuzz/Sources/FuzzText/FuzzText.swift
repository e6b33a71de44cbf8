// libFuzzer target: the text pipeline on arbitrary (lossily decoded) text.
//
// TextNormalizer.normalize, SentenceSplitter.split/splitText (on normalized and on raw text),
// Tokenizer, PorterStemmer, ArticleReader.looksLikeHeadline, DayNumber.parse, then
// ArticleAnalyzer.analyze and Summarizer.summarize. The input is cut at 0xFF bytes (never valid
// UTF-8) into up to three articles, so the summarizer also sees several documents at once; in each
// the first line is the title, the rest the body, and a leading "YYYY-MM-DD" also the date.
import NewsDigest

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)

    let normalized = TextNormalizer.normalize(text)
    var sink = normalized.utf8.count
    for sentence in SentenceSplitter.splitText(normalized) { sink &+= sentence.utf8.count }
    for sentence in SentenceSplitter.split(text) { sink &+= sentence.utf8.count }
    sink &+= Tokenizer.budgetWords(text)
    var stemmed = 0
    Tokenizer.forEachWord(in: text) { lower, capitalized in
        sink &+= lower.count &+ (capitalized ? 1 : 0)
        if stemmed < 256 {
            stemmed += 1
            sink &+= PorterStemmer.stem(lower).count
        }
    }
    sink &+= Tokenizer.words(normalized).count
    if ArticleReader.looksLikeHeadline(text) { sink &+= 1 }
    sink &+= DayNumber.parse(text) ?? 0

    var articles: [ParsedArticle] = []
    for part in bytes.split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false) {
        let partText = String(decoding: part, as: UTF8.self)
        let title: String
        let body: String
        if let newline = partText.firstIndex(of: "\n") {
            title = String(partText[..<newline])
            body = String(partText[partText.index(after: newline)...])
        } else {
            title = ""
            body = partText
        }
        let date = DayNumber.parse(partText) == nil ? nil : String(partText.prefix(10))
        let raw = RawArticle(title: title, text: body, source: "fuzz", url: nil, date: date)
        articles.append(ArticleAnalyzer.analyze(raw, file: "fuzz-\(articles.count).txt"))
    }
    for article in articles { sink &+= article.sentences.count &+ article.bodyWords }
    let summarizer = Summarizer()
    sink &+= summarizer.summarize(articles, budget: .words(120)).count
    sink &+= summarizer.summarize(articles, budget: .sentences(3)).count
    blackHole(sink)
    return 0
}

/// Keeps the optimizer from dropping work whose result nobody reads.
@inline(never) @_optimize(none)
func blackHole(_ value: Int) {}
