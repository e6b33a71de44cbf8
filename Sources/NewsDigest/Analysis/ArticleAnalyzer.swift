/// The per-file half of the pipeline: cleaning, sentences, tokens, fingerprints, topic terms.
/// Pure and independent per article, so any number of workers can run it at once.
public enum ArticleAnalyzer {
    public static func analyze(_ raw: RawArticle, file: String) -> ParsedArticle {
        let title = TextNormalizer.normalize(raw.title).replacingNewlines()
        let body = TextNormalizer.normalize(raw.text)

        var exactTokens: [UInt64] = []
        Tokenizer.forEachWord(in: title) { w, _ in exactTokens.append(StableHash.bytes(w)) }
        exactTokens.append(0x7469_746c_655f_656e)  // keeps "title | body" apart from "title body"
        Tokenizer.forEachWord(in: body) { w, _ in exactTokens.append(StableHash.bytes(w)) }
        let exactKey = exactTokens.reduce(0x6e65_7773) { StableHash.combine($0, $1) }

        var contentTokens: [UInt64] = []
        var sentences: [ParsedSentence] = []
        var topic = KeyTable<Float>(capacity: 256)
        var bodyWords = 0
        /// Sentence pieces of the body so far (the lead is the first three).
        var piecesSeen = 0

        Tokenizer.forEachWord(in: title) { w, _ in
            if !StopWords.contains(w) { topic.add(Weights.title, to: StableHash.bytes(PorterStemmer.stem(w))) }
        }

        for lineSub in body.lines(omittingEmpty: true) {
            let line = String(lineSub)
            if Boilerplate.isBoilerplate(line: line) { continue }
            let lineHash = StableHash.string(Boilerplate.asciiLower(line))
            let heading = !endsLikeSentence(line) && Tokenizer.budgetWords(line) < 15
            let pieces = heading ? [line] : SentenceSplitter.split(line)
            // Topics and tokens per piece the splitter made, numbered as it made them; a quotation
            // over several pieces then becomes one sentence of the summary's (Quotability).
            var pieceTerms: [[UInt64]] = []
            for piece in pieces {
                var terms: [UInt64] = []
                var first = true
                let positionWeight: Float = heading ? Weights.heading : (piecesSeen < 3 ? Weights.lead : 1)
                Tokenizer.forEachWord(in: piece) { w, capitalized in
                    let hash = StableHash.bytes(w)
                    contentTokens.append(hash)
                    bodyWords += 1
                    defer { first = false }
                    guard !StopWords.contains(w, hash: hash) else { return }
                    let stem = StableHash.bytes(PorterStemmer.stem(w))
                    terms.append(stem)
                    let entity = (capitalized && !first) || (w[0] >= 48 && w[0] <= 57)
                    topic.add(positionWeight * (entity ? Weights.entity : 1), to: stem)
                }
                if !heading { piecesSeen += 1 }
                pieceTerms.append(terms)
            }
            guard !heading else { continue }
            for (range, quotable) in Quotability.quotations(pieces) {
                let text = pieces[range].joined(separator: " ")
                let words = Tokenizer.budgetWords(text)
                sentences.append(
                    ParsedSentence(
                        text: text, position: sentences.count, line: lineHash,
                        words: words, terms: Array(pieceTerms[range].joined()),
                        isCandidate: quotable && isSummaryCandidate(text, words: words)))
            }
        }
        var shingleTokens = contentTokens
        if shingleTokens.count < MinHash.shingleWidth {
            shingleTokens = exactTokens.filter { $0 != 0x7469_746c_655f_656e }
        }
        let shingles = MinHash.shingles(of: shingleTokens)
        let signature = MinHash.signature(of: shingles)
        let terms = zip(topic.keys, topic.values).map { TermWeight(term: $0, weight: $1.squareRoot()) }
            .sorted { $0.term < $1.term }
        return ParsedArticle(
            file: file, title: title, source: raw.source, publishedDay: raw.date.flatMap(DayNumber.parse),
            exactKey: exactKey, shingles: shingles, bandKeys: MinHash.bandKeys(of: signature),
            terms: terms,
            sentences: sentences, bodyWords: bodyWords, url: raw.url)
    }

    /// How much a term counts toward an article's topic, by where it stands.
    enum Weights {
        static let title: Float = 5
        static let lead: Float = 1.5
        static let heading: Float = 1
        /// Capitalized words inside a sentence are mostly names: people, places, organisations.
        /// They tell two earthquakes or two trials of the same kind apart.
        static let entity: Float = 8
    }

    static func endsLikeSentence(_ s: String) -> Bool {
        var end = Substring(s)
        while let last = end.last, last == "\"" || last == "'" || last == ")" || last == "]" || last == " " {
            end.removeLast()
        }
        guard let last = end.last else { return false }
        return last == "." || last == "!" || last == "?"
    }

    static func isSummaryCandidate(_ s: String, words: Int) -> Bool {
        guard words >= 6, words <= 70, endsLikeSentence(s) else { return false }
        guard let first = s.unicodeScalars.first else { return false }
        if first.properties.isLowercase { return false }
        if first == "-" || first == "\u{2014}" || first == "(" || first == "[" { return false }
        return !hasGluedWords(s) && !Quotability.isUnfit(s)
    }

    /// "had not fleAbu Mohammad": a scraper lost the break between two sentences. Such a
    /// sentence is kept for similarity but never quoted.
    static func hasGluedWords(_ s: String) -> Bool {
        var lowerRun = 0
        var startsLower = false
        var inWord = false
        var sawUpperAfterLower = false
        for b in s.utf8 {
            let lower = b >= 97 && b <= 122
            let upper = b >= 65 && b <= 90
            if !(lower || upper) {
                inWord = false
                lowerRun = 0
                sawUpperAfterLower = false
                continue
            }
            if !inWord {
                inWord = true
                startsLower = lower
                lowerRun = lower ? 1 : 0
                sawUpperAfterLower = false
                continue
            }
            if sawUpperAfterLower {
                if lower { return true }
                sawUpperAfterLower = false
                startsLower = false
                continue
            }
            if lower {
                lowerRun += 1
            } else if startsLower && lowerRun >= 3 {
                sawUpperAfterLower = true
            } else {
                startsLower = false
            }
        }
        return false
    }
}

extension String {
    func replacingNewlines() -> String {
        lines(omittingEmpty: true).joined(separator: " ")
    }
}

/// Calendar days as integers, without a calendar object: the core has no clock and no time zone.
public enum DayNumber {
    /// Days since 1970-01-01 of a leading "YYYY-MM-DD".
    public static func parse(_ s: String) -> Int? {
        let b = Array(s.utf8.prefix(10))
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return fromCivil(year: y, month: m, day: d)
    }

    /// Howard Hinnant's days-from-civil.
    public static func fromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
