/// Splits a paragraph into sentences on normalized text, byte by byte.
///
/// News text is full of periods that end nothing: "U.S.", "Dec. 8", "Gen. Smith", "J. K. Rowling",
/// "6.1", "$1.5 million". A period ends a sentence only when what follows looks like the start of
/// one, and after an abbreviation only when what follows is a word that usually starts a sentence.
public enum SentenceSplitter {
    /// The longest sentence kept whole, in words; news sentences run far shorter.
    public static let maxWords = 80

    public static func split(_ paragraph: String) -> [String] {
        var paragraph = paragraph
        return paragraph.withUTF8 { split(utf8: $0) }
    }

    /// Sentences of a whole text: lines are never joined, since scrapers put one paragraph, one
    /// heading or one caption on a line.
    public static func splitText(_ text: String) -> [String] {
        text.lines(omittingEmpty: true).flatMap { split(String($0)) }
    }

    static func split(utf8 b: UnsafeBufferPointer<UInt8>) -> [String] {
        var out: [String] = []
        let n = b.count
        var start = 0
        var i = 0
        func emit(_ end: Int) {
            var s = start
            var e = end
            while s < e && b[s] == 0x20 { s += 1 }
            while e > s && b[e - 1] == 0x20 { e -= 1 }
            // A run of text with no sentence end at all (a scraper that lost the punctuation, a
            // 1 MB line) is cut at word boundaries, so every sentence can fit a summary budget
            // and ranking never works on one huge sentence.
            var words = 0
            var p = s
            var pieceStart = s
            while p < e {
                if b[p] == 0x20 && p > pieceStart && b[p - 1] != 0x20 {
                    words += 1
                    if words == maxWords {
                        out.append(String(decoding: UnsafeBufferPointer(rebasing: b[pieceStart..<p]), as: UTF8.self))
                        while p < e && b[p] == 0x20 { p += 1 }
                        pieceStart = p
                        words = 0
                        continue
                    }
                }
                p += 1
            }
            if e > pieceStart {
                out.append(String(decoding: UnsafeBufferPointer(rebasing: b[pieceStart..<e]), as: UTF8.self))
            }
            start = end
        }
        while i < n {
            let c = b[i]
            guard c == 0x2E || c == 0x21 || c == 0x3F else {
                i += 1
                continue
            }
            var j = i
            while j < n && (b[j] == 0x2E || b[j] == 0x21 || b[j] == 0x3F) { j += 1 }
            let terminatorRun = j - i
            while j < n && isCloser(b[j]) { j += 1 }
            guard j < n else { break }
            guard b[j] == 0x20 else {
                i = j
                continue
            }
            var k = j
            while k < n && b[k] == 0x20 { k += 1 }
            guard k < n else { break }
            if isBoundary(b, terminator: i, run: terminatorRun, next: k) {
                emit(j)
            }
            i = k
        }
        emit(n)
        return out
    }

    private static func isBoundary(_ b: UnsafeBufferPointer<UInt8>, terminator i: Int, run: Int, next k: Int) -> Bool {
        let next = b[k]
        // A lowercase continuation ("e.g. this", "... and then") is never a new sentence.
        if next >= 97 && next <= 122 { return false }
        let startsLikeSentence =
            isUpper(next) || isDigit(next) || next == 0x22 || next == 0x27 || next == 0x28
            || next == 0x5B || next >= 0x80
        guard startsLikeSentence else { return false }
        if b[i] != 0x2E || run > 1 { return true }
        // The word before the period.
        var w = i
        while w > 0 && !isSpace(b[w - 1]) && !isOpener(b[w - 1]) { w -= 1 }
        let word = Array(b[w..<i])
        if word.isEmpty { return true }
        let lower = word.map { isUpper($0) ? $0 + 32 : $0 }
        if titles.contains(lower) { return false }
        let nextIsStarter = startsWithStarter(b, at: k)
        if dated.contains(lower) {
            return !isDigit(next) && nextIsStarter
        }
        let letters = word.filter { isAlpha($0) }.count
        let initialism = word.contains(0x2E) && word.allSatisfy { isAlpha($0) || $0 == 0x2E }
        let singleLetter = word.count == 1 && isAlpha(word[0])
        if initialism || singleLetter || (letters <= 3 && abbreviations.contains(lower))
            || abbreviations.contains(lower)
        {
            return nextIsStarter
        }
        return true
    }

    private static func startsWithStarter(_ b: UnsafeBufferPointer<UInt8>, at k: Int) -> Bool {
        var e = k
        if e < b.count && (b[e] == 0x22 || b[e] == 0x27) { return true }
        while e < b.count && isAlpha(b[e]) { e += 1 }
        guard e > k else { return false }
        let lower = b[k..<e].map { isUpper($0) ? $0 + 32 : $0 }
        return starters.contains(lower)
    }

    @inline(__always) private static func isUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) private static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    @inline(__always) private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 }
    @inline(__always) private static func isCloser(_ c: UInt8) -> Bool {
        c == 0x22 || c == 0x27 || c == 0x29 || c == 0x5D
    }
    @inline(__always) private static func isOpener(_ c: UInt8) -> Bool {
        c == 0x22 || c == 0x27 || c == 0x28 || c == 0x5B
    }

    private static func set(_ words: String) -> Set<[UInt8]> {
        Set(words.split(separator: " ").map { Array($0.utf8) })
    }

    /// Titles stand before a name: never the end of a sentence.
    private static let titles = set(
        "mr mrs ms dr prof gen sen rep gov lt col capt sgt cpl pvt adm maj cmdr brig rev hon pres supt insp det messrs mt ft st gen"
    )
    /// Abbreviations that usually stand before a number: "Dec. 8", "No. 10", "pp. 4".
    private static let dated = set(
        "jan feb mar apr jun jul aug sep sept oct nov dec no nos vol pp p fig art ch sec"
    )
    /// Abbreviations that can end a sentence: "Apple Inc. The company …".
    private static let abbreviations = set(
        "jr sr inc corp co ltd llc plc bros etc vs approx est dept univ assn ave blvd rd hwy mfg intl natl govt"
    )
    /// Words that begin sentences far more often than they follow an abbreviation.
    private static let starters = set(
        """
        the a an he she it they we i you his her its their our this that these those there here but and \
        yet so in on at as after before when while if for some many most more according however meanwhile \
        what who why how no not one two three police officials authorities
        """
    )
}
